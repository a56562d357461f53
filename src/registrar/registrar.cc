#include "registrar/registrar.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "base/text.h"
#include "registrar/endpoint_text.h"
#include "sip/msg/name_addr.h"

namespace kolokol::registrar {
namespace {

// RFC 3261 20.19: 2^32-1 at most; larger values are taken as that (and clamped later).
constexpr long long kMaxDelta = 4294967295LL;
// RFC 3261 10.3 step 7: 423 only for requests shorter than an hour.
constexpr long long kOneHour = 3600;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// delta-seconds (RFC 3261 25.1: 1*DIGIT); empty when not.
std::optional<long long> parse_seconds(std::string_view text) {
  text = trim(text);
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && value > kMaxDelta)) {
    return kMaxDelta;
  }
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )  (RFC 3261 20.10)
std::optional<float> parse_q(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  int thousandths = (text[0] - '0') * 1000;
  if (text.size() > 1) {
    if (text[1] != '.' || text.size() > 5) return std::nullopt;
    int scale = 100;
    for (char c : text.substr(2)) {
      if (c < '0' || c > '9') return std::nullopt;
      thousandths += (c - '0') * scale;
      scale /= 10;
    }
  }
  if (thousandths > 1000) return std::nullopt;
  return static_cast<float>(thousandths) / 1000.0F;
}

std::string format_q(float q) {
  const int thousandths = static_cast<int>(std::lround(q * 1000.0F));
  std::string text = std::to_string(thousandths / 1000) + "." +
                     std::string(1, static_cast<char>('0' + thousandths / 100 % 10)) +
                     std::string(1, static_cast<char>('0' + thousandths / 10 % 10)) +
                     std::string(1, static_cast<char>('0' + thousandths % 10));
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

bool has_option_tag(const sip::Message& request, sip::HeaderId id, std::string_view tag) {
  for (std::string_view value : request.values(id)) {
    if (base::iequals(trim(value), tag)) return true;
  }
  return false;
}

}  // namespace

std::string sip_date(storage::UnixSeconds seconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[utc.tm_wday % 7],
                utc.tm_mday, kMonths[utc.tm_mon % 12], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  return text;
}

struct Registrar::Planned {
  Binding binding;  // parsed record to upsert; record.expires_at unset when removing
  long long expires = 0;
};

Registrar::Registrar(const directory::Directory& directory, LocationService& location,
                     sip::RequestAuthenticator& auth, AuthThrottle& throttle,
                     sip::ResponseFactory& responses, base::MetricsRegistry& metrics,
                     RegistrarConfig config, base::Logger log,
                     std::function<void(const BindingChange&)> on_change, WallClock wall_clock)
    : directory_(directory),
      location_(location),
      auth_(auth),
      throttle_(throttle),
      responses_(responses),
      config_(config),
      log_(std::move(log)),
      on_change_(std::move(on_change)),
      wall_clock_(std::move(wall_clock)),
      registered_(
          metrics.counter("registrar_registrations_total", "REGISTER requests accepted (200)")),
      refused_(
          metrics.counter("registrar_refused_total",
                          "REGISTER requests refused after authentication failed or throttled")),
      contacts_(metrics.gauge("registrar_contacts", "Registered contacts (bindings) in all")) {
  contacts_.set(static_cast<std::int64_t>(location_.size()));
}

storage::UnixSeconds Registrar::now() const {
  if (wall_clock_) return wall_clock_();
  return storage::unix_now();
}

void Registrar::report(BindingChange::Kind kind, storage::ContactBinding binding) {
  contacts_.set(static_cast<std::int64_t>(location_.size()));
  if (on_change_) on_change_(BindingChange{kind, std::move(binding)});
}

sip::Message Registrar::refuse(const sip::Message& request, const sip::Source& source, int status,
                               std::string_view reason, std::string_view why) {
  const sip::NameAddr* to = request.to();
  log_.info("REGISTER {} from {}: {} ({})", to ? to->uri.to_string() : std::string("?"),
            source.remote.to_string(), status, why);
  return responses_.make(request, status, reason);
}

sip::Message Registrar::handle(const sip::Message& request, const sip::Source& source) {
  if (request.method() != sip::Method::Register) {
    sip::Message wrong = responses_.make(request, 405);
    wrong.set_header(sip::HeaderId::Allow, "REGISTER");
    return wrong;
  }
  const sip::Uri& request_uri = request.request_uri();
  if (!request_uri.is_sip()) return responses_.make(request, 416);
  const sip::NameAddr* to = request.to();
  if (!to || !to->uri.is_sip()) {
    return refuse(request, source, 400, "Bad To", "To is not a SIP address of record");
  }

  // 10.3 step 1: the Request-URI names the registrar's domain; we do not proxy REGISTER to
  // other domains, so a domain that is not ours ends here.
  const storage::Tenant* domain = directory_.tenant_for_host(request_uri.host);
  if (!domain) {
    log_.debug("REGISTER for {} from {}: not our domain", request_uri.host,
               source.remote.to_string());
    return responses_.make(request, 404, "Domain Not Served");
  }
  // 10.3 step 5: the address of record must be valid for the Request-URI's domain. A
  // Request-URI naming this server by address (phones configured with an IP) serves every
  // tenant; a tenant's domain serves only that tenant.
  const storage::Tenant* tenant = directory_.tenant_for_host(to->uri.host);
  if (!tenant || (tenant != domain && !directory_.is_local_host(request_uri.host))) {
    log_.debug("REGISTER {} from {}: address of record not in domain {}", to->uri.to_string(),
               source.remote.to_string(), request_uri.host);
    return responses_.make(request, 404);
  }

  const std::string& address = source.remote.address;
  if (throttle_.blocked(address)) {
    refused_.inc();
    return responses_.make(request, 403, "Too Many Failed Attempts");
  }
  // 10.3 steps 3 and 4: authenticate in the tenant's realm.
  const sip::AuthOutcome outcome = auth_.authenticate(request, /*proxy=*/false, tenant->realm);
  switch (outcome.kind) {
    case sip::AuthOutcome::Kind::Challenge: {
      sip::Message challenge = responses_.make(request, 401);
      auth_.add_challenges(challenge, outcome.stale, tenant->realm);
      return challenge;
    }
    case sip::AuthOutcome::Kind::BadRequest:
      return refuse(request, source, 400, outcome.detail, outcome.detail);
    case sip::AuthOutcome::Kind::Forbidden:
      refused_.inc();
      throttle_.failure(address);
      log_.warn("REGISTER {} from {}: authentication failed ({})", to->uri.to_string(),
                source.remote.to_string(), outcome.detail);
      return responses_.make(request, 403);
    case sip::AuthOutcome::Kind::Authenticated:
      break;
  }
  // 10.3 step 5: the address of record in canonical form is the unescaped user part.
  const std::string user = sip::unescape(to->uri.user);
  const storage::Extension* extension = directory_.extension(tenant->id, user);
  // 10.3 step 4: the authenticated user may change only its own bindings. The answer is the
  // plain 403 of a wrong password: no hint whether the address of record exists.
  if (!extension || !extension->enabled || outcome.username != user) {
    refused_.inc();
    log_.warn("REGISTER {} from {}: authenticated as {}, who may not register it",
              to->uri.to_string(), source.remote.to_string(), outcome.username);
    return responses_.make(request, 403);
  }
  return update_bindings(request, source, *tenant, *extension);
}

sip::Message Registrar::update_bindings(const sip::Message& request, const sip::Source& source,
                                        const storage::Tenant& tenant,
                                        const storage::Extension& extension) {
  const storage::UnixSeconds now_s = now();
  std::vector<sip::NameAddr> contacts;
  for (std::string_view value : request.values(sip::HeaderId::Contact)) {
    auto parsed = sip::parse_name_addr_list(value);
    if (!parsed) return refuse(request, source, 400, "Bad Contact", "unparsable Contact");
    for (auto& contact : *parsed) contacts.push_back(std::move(contact));
  }
  std::optional<long long> header_expires;
  if (const sip::Header* expires = request.find(sip::HeaderId::Expires)) {
    header_expires = parse_seconds(expires->value);
    if (!header_expires) return refuse(request, source, 400, "Bad Expires", "bad Expires");
  }
  std::vector<std::string> path;
  for (std::string_view hop : request.values(sip::HeaderId::Path)) {
    hop = trim(hop);
    if (!sip::parse_name_addr(hop)) return refuse(request, source, 400, "Bad Path", "bad Path");
    path.emplace_back(hop);
  }

  // 10.3 step 6: "*" only alone and with Expires: 0.
  if (std::any_of(contacts.begin(), contacts.end(), [](const auto& c) { return c.wildcard; })) {
    if (contacts.size() != 1 || header_expires != 0) {
      return refuse(request, source, 400, "Wildcard Contact Needs Expires 0",
                    "Contact * with other contacts or a non-zero Expires");
    }
    return remove_all(request, source, extension, now_s);
  }
  if (contacts.size() > config_.max_contacts) {
    return refuse(request, source, 403, "Too Many Contacts",
                  std::to_string(contacts.size()) + " contacts in one REGISTER");
  }

  const std::string_view call_id = request.call_id();
  const std::uint32_t cseq = request.cseq() ? request.cseq()->number : 0;
  std::string user_agent;
  if (const sip::Header* agent = request.find(sip::HeaderId::UserAgent)) user_agent = agent->value;

  // 10.3 step 7, first every check: the bindings change only if every contact is acceptable.
  std::vector<Planned> plan;
  for (auto& contact : contacts) {
    if (!contact.uri.is_sip()) {
      return refuse(request, source, 400, "Contact Not SIP", "Contact is not a SIP URI");
    }
    long long expires = header_expires.value_or(config_.default_expires.count());
    if (const sip::Param* param = sip::find_param(contact.params, "expires")) {
      auto value = param->value ? parse_seconds(*param->value) : std::nullopt;
      if (!value) {
        return refuse(request, source, 400, "Bad Contact Expires", "bad expires parameter");
      }
      expires = *value;
    }
    if (expires > 0 && expires < kOneHour && expires < config_.min_expires.count()) {
      sip::Message brief = responses_.make(request, 423);
      brief.set_header(sip::HeaderId::MinExpires, std::to_string(config_.min_expires.count()));
      log_.info("REGISTER {} from {}: 423, {} s is below {} s", extension.number,
                source.remote.to_string(), expires, config_.min_expires.count());
      return brief;
    }
    expires = std::min<long long>(expires, config_.max_expires.count());

    // RFC 3261 10.3 step 7: for an existing binding with the same Call-ID, the CSeq must be
    // higher, else "the update MUST be aborted and the request fails" (an old or reordered
    // REGISTER). The RFC names no status; 500 is the one step 7 gives a failed update.
    if (const Binding* existing = location_.find(extension.id, contact.uri);
        existing && existing->record.expires_at > now_s && existing->record.call_id == call_id &&
        existing->record.cseq >= cseq) {
      return refuse(request, source, 500, "Out Of Order Request",
                    "CSeq " + std::to_string(cseq) + " not above " +
                        std::to_string(existing->record.cseq) + " of the binding");
    }

    storage::ContactBinding record;
    record.extension_id = extension.id;
    record.contact = contact.uri.to_string();
    if (auto instance = sip::param_value(contact.params, "+sip.instance")) {
      record.instance_id = std::string(*instance);
    }
    if (const sip::Param* q = sip::find_param(contact.params, "q")) {
      auto value = q->value ? parse_q(*q->value) : std::nullopt;
      if (!value) return refuse(request, source, 400, "Bad q", "bad q parameter");
      record.q = *value;
    }
    record.call_id = std::string(call_id);
    record.cseq = cseq;
    record.expires_at = now_s + expires;
    record.path = path;
    record.received = endpoint_text(source.remote);
    record.local = endpoint_text(source.local);
    record.user_agent = user_agent;
    auto binding = LocationService::parse(std::move(record));
    if (!binding) return refuse(request, source, 400, "Bad Contact", "unusable Contact");
    plan.push_back({std::move(*binding), expires});
  }

  // Then the changes, each reported for persistence.
  std::vector<std::uint64_t> touched;
  for (Planned& planned : plan) {
    if (planned.expires == 0) {
      if (auto removed = location_.remove(extension.id, planned.binding.uri())) {
        log_.info("{}@{} unregistered {} from {}", extension.number, tenant.name, removed->contact,
                  source.remote.to_string());
        report(BindingChange::Kind::Remove, std::move(*removed));
      }
      continue;
    }
    const bool is_new = location_.find(extension.id, planned.binding.uri()) == nullptr;
    if (is_new) make_room(extension, touched, now_s);
    storage::ContactBinding record = planned.binding.record;
    const Binding* stored = location_.upsert(std::move(planned.binding));
    touched.push_back(stored->id);
    if (is_new) {
      log_.info("{}@{} registered {} from {} for {} s", extension.number, tenant.name,
                record.contact, source.remote.to_string(), planned.expires);
    } else {
      log_.debug("{}@{} refreshed {} from {} for {} s", extension.number, tenant.name,
                 record.contact, source.remote.to_string(), planned.expires);
    }
    report(BindingChange::Kind::Upsert, std::move(record));
  }
  registered_.inc();
  sip::Message ok = ok_with_bindings(request, extension.id, now_s);
  // RFC 3327 5.3: the Path goes back to a UA that said it supports it.
  if (!path.empty() && has_option_tag(request, sip::HeaderId::Supported, "path")) {
    for (const auto& hop : path) ok.add_header(sip::HeaderId::Path, hop);
  }
  return ok;
}

sip::Message Registrar::remove_all(const sip::Message& request, const sip::Source& source,
                                   const storage::Extension& extension,
                                   storage::UnixSeconds now_s) {
  const std::string_view call_id = request.call_id();
  const std::uint32_t cseq = request.cseq() ? request.cseq()->number : 0;
  // 10.3 step 6: a binding made with this Call-ID goes only if the CSeq is higher; otherwise
  // "the update MUST be aborted and the request fails" (500 as in step 7).
  for (const Binding* binding : location_.contacts(extension.id, now_s)) {
    if (binding->record.call_id == call_id && binding->record.cseq >= cseq) {
      return refuse(request, source, 500, "Out Of Order Request",
                    "Contact * with a CSeq not above that of a binding");
    }
  }
  if (!location_.remove_all(extension.id).empty()) {
    storage::ContactBinding all;
    all.extension_id = extension.id;
    report(BindingChange::Kind::RemoveAll, std::move(all));
    log_.info("{} unregistered every contact from {}", extension.number, source.remote.to_string());
  }
  registered_.inc();
  return ok_with_bindings(request, extension.id, now_s);
}

void Registrar::make_room(const storage::Extension& extension,
                          const std::vector<std::uint64_t>& touched, storage::UnixSeconds now_s) {
  const auto current = location_.contacts(extension.id, now_s);
  if (current.size() < config_.max_contacts) return;
  // Replace the binding closest to expiring, as Asterisk's remove_existing does: a phone that
  // re-registers with a new contact (a new port after a restart) must not be locked out until
  // its old binding expires. Kamailio would answer 503 instead.
  const Binding* victim = nullptr;
  for (const Binding* binding : current) {
    if (std::find(touched.begin(), touched.end(), binding->id) != touched.end()) continue;
    if (!victim || binding->record.expires_at < victim->record.expires_at) victim = binding;
  }
  if (!victim) return;  // cannot happen: the request has at most max_contacts contacts
  const sip::Uri uri = victim->uri();
  if (auto removed = location_.remove(extension.id, uri)) {
    log_.info("{}: contact limit {} reached, {} replaced", extension.number, config_.max_contacts,
              removed->contact);
    report(BindingChange::Kind::Remove, std::move(*removed));
  }
}

sip::Message Registrar::ok_with_bindings(const sip::Message& request, storage::RowId extension_id,
                                         storage::UnixSeconds now_s) {
  // 10.3 step 8: every current binding with the expiry we chose, and a Date.
  sip::Message ok = responses_.make(request, 200);
  for (const Binding* binding : location_.contacts(extension_id, now_s)) {
    std::string value = "<" + binding->record.contact +
                        ">;expires=" + std::to_string(binding->record.expires_at - now_s);
    if (binding->record.q != 1.0F) value += ";q=" + format_q(binding->record.q);
    if (!binding->record.instance_id.empty()) {
      value += ";+sip.instance=" + binding->record.instance_id;
    }
    ok.add_header(sip::HeaderId::Contact, value);
  }
  ok.set_header(sip::HeaderId::Date, sip_date(now_s));
  return ok;
}

}  // namespace kolokol::registrar
