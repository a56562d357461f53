#include "registrar/qualifier.h"

#include <chrono>

#include "sip/msg/name_addr.h"

namespace kolokol::registrar {
namespace {

constexpr std::chrono::seconds kTick{1};

bool unspecified(const std::string& address) {
  return address.empty() || address == "0.0.0.0" || address == "::";
}

}  // namespace

Qualifier::Qualifier(sip::TransactionLayer& transactions, LocationService& location,
                     base::TimerService& timers, RegistrarConfig config, base::Logger log,
                     std::function<void(const BindingChange&)> on_change, WallClock wall_clock)
    : transactions_(transactions),
      location_(location),
      timers_(timers),
      config_(config),
      log_(std::move(log)),
      on_change_(std::move(on_change)),
      wall_clock_(std::move(wall_clock)) {}

Qualifier::~Qualifier() {
  *alive_ = false;
  timers_.cancel(tick_timer_);
}

storage::UnixSeconds Qualifier::now() const {
  if (wall_clock_) return wall_clock_();
  return storage::unix_now();
}

void Qualifier::start() {
  if (tick_timer_ != base::kNoTimer) return;
  tick_timer_ = timers_.schedule(kTick, [this] {
    tick_timer_ = base::kNoTimer;
    tick();
    start();
  });
}

void Qualifier::tick() {
  expire_now();
  if (qualifying()) qualify_due();
}

void Qualifier::expire_now() {
  for (auto& record : location_.expire(now())) {
    log_.info("contact {} of extension id {} expired", record.contact, record.extension_id);
    if (on_change_) on_change_(BindingChange{BindingChange::Kind::Remove, std::move(record)});
  }
}

base::Duration Qualifier::jittered_interval() {
  const auto interval = std::chrono::duration_cast<base::Duration>(config_.qualify_interval);
  std::uniform_int_distribution<base::Duration::rep> spread(-interval.count() / 10,
                                                            interval.count() / 10);
  return interval + base::Duration(spread(random_));
}

void Qualifier::qualify_due() {
  const base::TimePoint now = timers_.now();
  const auto interval = std::chrono::duration_cast<base::Duration>(config_.qualify_interval);
  for (Binding* binding : location_.all_mutable()) {
    if (!binding->qualify_scheduled) {
      // First sight (new registration or restored binding): somewhere within one interval, so
      // a restart does not probe every phone in the same second.
      std::uniform_int_distribution<base::Duration::rep> offset(0, interval.count());
      binding->next_qualify = now + base::Duration(offset(random_));
      binding->qualify_scheduled = true;
    }
    if (binding->qualify_pending || now < binding->next_qualify) continue;
    send_options(*binding);
  }
}

void Qualifier::qualify_all() {
  for (Binding* binding : location_.all_mutable()) {
    if (!binding->qualify_pending) send_options(*binding);
  }
}

void Qualifier::send_options(Binding& binding) {
  const base::TimePoint sent_at = timers_.now();
  binding.qualify_scheduled = true;
  binding.next_qualify = sent_at + jittered_interval();
  binding.qualify_pending = true;

  sip::Message options = sip::Message::request(sip::Method::Options, binding.uri());
  sip::NameAddr from;
  from.uri.scheme = sip::UriScheme::Sip;
  from.uri.user = "qualify";
  const sip::Endpoint local = binding.local();
  const sip::Endpoint destination = binding.destination();
  std::string host = local.address;
  if (local_host_) {
    host = local_host_(local, destination.address);
  } else if (unspecified(host)) {
    host = binding.uri().host;  // better than 0.0.0.0: the phone's own view of the domain
  }
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  from.uri.host = host;
  sip::set_param(from.params, "tag", transactions_.ids().tag());
  sip::NameAddr to;
  to.uri = binding.uri();
  options.set_from(from);
  options.set_to(to);
  options.set_header(sip::HeaderId::CallId, transactions_.ids().call_id(""));
  options.set_cseq(sip::CSeq{1, sip::Method::Options, "OPTIONS"});
  options.set_header(sip::HeaderId::MaxForwards, "70");
  // RFC 3327 5.3: requests to the contact go through the registered Path.
  for (const auto& hop : binding.record.path) options.add_header(sip::HeaderId::Route, hop);

  const std::uint64_t id = binding.id;
  const std::string contact = binding.record.contact;
  auto alive = alive_;
  sip::ClientCallbacks callbacks;
  callbacks.on_response = [this, alive, id, sent_at](const sip::Message& response) {
    if (!*alive || response.status() < 200) return;
    // A 408 comes from a proxy on the Path that got no answer from the phone.
    on_result(id, sent_at, response.status() != 408, "408 from the path");
  };
  callbacks.on_timeout = [this, alive, id, sent_at] {
    if (*alive) on_result(id, sent_at, false, "no answer to OPTIONS");
  };
  callbacks.on_transport_error = [this, alive, id, sent_at](std::string_view reason) {
    if (*alive) on_result(id, sent_at, false, reason);
  };
  const sip::ClientTransaction txn =
      transactions_.send_request(std::move(options), destination, std::move(callbacks));
  if (txn.id() == 0) {
    // Not sent (the layer refused the request): try again next interval, state unchanged.
    if (Binding* again = location_.find_by_id(id)) again->qualify_pending = false;
    log_.warn("OPTIONS to {} could not be sent", contact);
  }
}

void Qualifier::on_result(std::uint64_t binding_id, base::TimePoint sent_at, bool answered,
                          std::string_view why) {
  Binding* binding = location_.find_by_id(binding_id);
  if (!binding) return;  // unregistered or expired meanwhile
  binding->qualify_pending = false;
  const bool was_reachable = binding->reachable;
  const auto round_trip = std::chrono::duration_cast<base::Duration>(timers_.now() - sent_at);
  location_.set_reachable(binding_id, answered,
                          answered ? std::optional<base::Duration>(round_trip) : std::nullopt);
  if (was_reachable == answered) return;
  if (answered) {
    log_.info("contact {} of extension id {} reachable again ({} ms)", binding->record.contact,
              binding->record.extension_id, round_trip.count());
  } else {
    log_.warn("contact {} of extension id {} unreachable: {}", binding->record.contact,
              binding->record.extension_id, why);
  }
}

}  // namespace kolokol::registrar
