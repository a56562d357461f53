#include "pbx/pbx_core.h"

#include "registrar/account_lookup.h"

#include <chrono>

#include "sip/core/request_validator.h"
#include "sip/dialog/uri_endpoint.h"

namespace kolokol::pbx {
namespace {

bool in_dialog(const sip::Message& request) {
  const sip::NameAddr* to = request.to();
  return to && to->tag().has_value();
}

// The user part of a dialled Request-URI: unescaped, visual separators of RFC 3966 dropped
// ("1002", "+7 (495) 123-45-67" -> "+74951234567").
std::string dialled_number(const sip::Uri& uri) {
  std::string out;
  for (char c : sip::unescape(uri.user)) {
    if (c == '-' || c == '.' || c == '(' || c == ')' || c == ' ') continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace

PbxCore::PbxCore(sip::TransactionLayer& transactions, sip::TransportLayer& transport,
                 base::TimerService& timers, base::MetricsRegistry& metrics, base::LogHub& logs,
                 sip::DigestServer& digest, sip::ResponseFactory& responses, PbxSettings settings,
                 PbxPersistence persistence)
    : transactions_(transactions),
      transport_(transport),
      timers_(timers),
      log_(logs.get("pbx")),
      digest_(digest),
      responses_(responses),
      settings_(std::move(settings)),
      persistence_(std::move(persistence)),
      authenticator_(digest_, registrar::directory_account_lookup(directory_)),
      fallback_(
          std::make_unique<sip::DefaultResponder>(settings_.policy, responses_, authenticator_)),
      throttle_(settings_.throttle, timers, logs.get("security")),
      invite_challenges_(metrics.counter("pbx_invite_challenges_total",
                                         "New INVITEs answered with a 407 digest challenge")),
      invite_refused_(metrics.counter(
          "pbx_invite_refused_total",
          "New INVITEs refused before routing (wrong credentials, throttled, unknown domain)")) {
  registrar_ = std::make_unique<registrar::Registrar>(
      directory_, location_, authenticator_, throttle_, responses_, metrics, settings_.registrar,
      logs.get("registrar"), [this](const registrar::BindingChange& change) {
        if (persistence_.binding_changed) persistence_.binding_changed(change);
      });
  qualifier_ = std::make_unique<registrar::Qualifier>(
      transactions_, location_, timers_, settings_.registrar, logs.get("qualify"),
      [this](const registrar::BindingChange& change) {
        if (persistence_.binding_changed) persistence_.binding_changed(change);
      });
  // Which hosts are ours is the tenants' business (their domains, and the default tenant's local
  // addresses): REGISTER and INVITE for another host get 404 from the tenant lookup.
  settings_.policy.domains.clear();
  // The registrar keeps Path (RFC 3327): an edge proxy that sends `Require: path` must not get
  // 420 for it.
  if (!settings_.policy.supports_option("path")) settings_.policy.supported_option_tags.emplace_back("path");
  fallback_ = std::make_unique<sip::DefaultResponder>(settings_.policy, responses_, authenticator_);
  // Our Contact towards a caller names the address it reached us on, never a wildcard.
  settings_.sessions.local_contact = [this](const sip::Source& source) {
    return contact_towards(source.local, source.remote.address);
  };
  qualifier_->set_local_host([this](const sip::Endpoint& local, std::string_view remote) {
    return transport_.local_host_for(local, remote);
  });
  sessions_ = std::make_unique<sip::SessionManager>(transactions_, timers_, logs.get("dialog"),
                                                    settings_.sessions);
  b2bua_ = std::make_unique<call::B2bua>(
      *sessions_, timers_, metrics, logs.get("call"),
      [this](const call::CallerIdentity& caller, const sip::Message& invite) {
        return route(caller, invite);
      },
      [this](storage::CallRecord record) {
        if (persistence_.call_ended) persistence_.call_ended(std::move(record));
      },
      settings_.calls);
}

PbxCore::~PbxCore() = default;

void PbxCore::load(std::vector<storage::Tenant> tenants, std::vector<storage::Extension> extensions,
                   std::vector<storage::ContactBinding> bindings,
                   std::vector<std::string> local_hosts) {
  directory_.replace(std::move(tenants), std::move(extensions));
  directory_.set_local_hosts(std::move(local_hosts));
  location_.load(std::move(bindings), storage::unix_now());
  registrar_->count_contacts();
  qualifier_->start();
  log_.info("{} tenant(s), {} registered contact(s) restored", directory_.tenants().size(),
            location_.size());
}

void PbxCore::drain() {
  b2bua_->hangup_all();
}

void PbxCore::extension_removed(storage::RowId extension_id) {
  directory_.remove_extension(extension_id);
  location_.remove_all(extension_id);
  registrar_->count_contacts();
}

void PbxCore::on_request(sip::ServerTransaction txn, const sip::Message& request,
                         const sip::Source& source) {
  if (auto rejection = sip::validate_request(request, settings_.policy)) {
    txn.respond(responses_.reject(request, *rejection));
    return;
  }
  if (in_dialog(request) && request.method() != sip::Method::Register) {
    sessions_->on_request(std::move(txn), request, source);
    return;
  }
  switch (request.method()) {
    case sip::Method::Register: {
      sip::Message response = registrar_->handle(request, source);
      // A challenge needs no state (RFC 3261 8.2.7): a retransmitted REGISTER gets a fresh one.
      // At thousands of registrations per second this halves the transactions held for Timer J.
      if (response.status() == 401) {
        txn.respond_and_forget(std::move(response));
      } else {
        txn.respond(std::move(response));
      }
      return;
    }
    case sip::Method::Invite:
      on_invite(std::move(txn), request, source);
      return;
    default:
      if (auto response = fallback_->answer(request)) txn.respond(std::move(*response));
      return;
  }
}

void PbxCore::on_invite(sip::ServerTransaction txn, const sip::Message& request,
                        const sip::Source& source) {
  const storage::Tenant* tenant = directory_.tenant_for_host(request.request_uri().host);
  if (!tenant) {
    invite_refused_.inc();
    txn.respond(responses_.make(request, 404, "Domain Not Served"));
    return;
  }
  const std::string& address = source.remote.address;
  if (throttle_.blocked(address)) {
    invite_refused_.inc();
    txn.respond(responses_.make(request, 403, "Too Many Failed Attempts"));
    return;
  }
  // Every new INVITE is authenticated (RFC 3261 22.3, as a proxy would: 407): nothing is
  // routed for a caller we have not verified, which is what stops toll fraud.
  const sip::AuthOutcome outcome =
      authenticator_.authenticate(request, /*proxy=*/true, tenant->realm);
  switch (outcome.kind) {
    case sip::AuthOutcome::Kind::Challenge: {
      invite_challenges_.inc();
      sip::Message challenge = responses_.make(request, 407);
      authenticator_.add_challenges(challenge, outcome.stale, tenant->realm);
      txn.respond(std::move(challenge));
      return;
    }
    case sip::AuthOutcome::Kind::BadRequest:
      invite_refused_.inc();
      txn.respond(responses_.make(request, 400, outcome.detail));
      return;
    case sip::AuthOutcome::Kind::Forbidden:
      invite_refused_.inc();
      throttle_.failure(address);
      log_.warn("INVITE {} from {}: authentication failed ({})", request.call_id(),
                source.remote.to_string(), outcome.detail);
      txn.respond(responses_.make(request, 403));
      return;
    case sip::AuthOutcome::Kind::Authenticated:
      break;
  }
  const storage::Extension* extension = directory_.extension(tenant->id, outcome.username);
  if (!extension) {  // removed between lookup and now: cannot happen on one thread, but cheap
    txn.respond(responses_.make(request, 403));
    return;
  }
  call::CallerIdentity caller;
  caller.tenant_id = tenant->id;
  caller.domain = tenant->domains.empty() ? request.request_uri().host : tenant->domains.front();
  caller.number = extension->number;
  caller.display_name = extension->display_name;
  b2bua_->expect_caller(std::move(caller));
  sessions_->on_request(std::move(txn), request, source);
}

call::RouteDecision PbxCore::route(const call::CallerIdentity& caller, const sip::Message& invite) {
  call::RouteDecision decision;
  decision.callee = dialled_number(invite.request_uri());
  const storage::Extension* callee = directory_.extension(caller.tenant_id, decision.callee);
  if (!callee || !callee->enabled) {
    decision.kind = call::RouteDecision::Kind::NotFound;
    return decision;
  }
  decision.callee_display = callee->display_name;
  for (const registrar::Binding* binding :
       location_.reachable_contacts(callee->id, storage::unix_now())) {
    if (auto target = fork_target(*binding)) decision.targets.push_back(std::move(*target));
  }
  decision.kind = decision.targets.empty() ? call::RouteDecision::Kind::Unavailable
                                           : call::RouteDecision::Kind::Ring;
  return decision;
}

std::optional<call::ForkTarget> PbxCore::fork_target(const registrar::Binding& binding) {
  call::ForkTarget target;
  target.request_uri = binding.uri();
  target.destination = binding.destination();
  target.path = binding.record.path;
  target.contact = contact_towards(binding.local(), target.destination.address);
  return target;
}

sip::NameAddr PbxCore::contact_towards(const sip::Endpoint& local, const std::string& remote) {
  sip::NameAddr contact = sip::contact_for_endpoint(local);
  contact.uri.host = transport_.local_host_for(local, remote);
  return contact;
}

void PbxCore::on_ack(const sip::Message& ack, const sip::Source& source) {
  sessions_->on_ack(ack, source);
}

void PbxCore::on_cancel(sip::ServerTransaction invite, const sip::Message& cancel,
                        const sip::Source& source) {
  sessions_->on_cancel(std::move(invite), cancel, source);
}

void PbxCore::on_stray_response(const sip::Message& response, const sip::Source& source) {
  sessions_->on_stray_response(response, source);
}

void PbxCore::on_server_failure(sip::ServerTransaction txn, sip::TransactionFailure failure) {
  sessions_->on_server_failure(std::move(txn), failure);
}

}  // namespace kolokol::pbx
