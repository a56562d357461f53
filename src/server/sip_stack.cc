#include "server/sip_stack.h"

#include <malloc.h>

#include <algorithm>
#include <future>

#include "config/value_parsers.h"
#include "directory/local_hosts.h"
#include "runtime/asio_timer_service.h"
#include "runtime/event_loop.h"
#include "sip/auth/digest_server.h"
#include "sip/core/default_responder.h"
#include "sip/core/request_authenticator.h"
#include "sip/core/response_factory.h"
#include "sip/core/stateless_answer.h"
#include "sip/core/uas_policy.h"
#include "sip/transport/tls_credentials.h"
#include "sip/transport/transport_layer.h"
#include "sip/txn/transaction_layer.h"
#include "sip/txn/transaction_user.h"

namespace kolokol::server {
namespace {

// How often the drain looks at the number of active transactions.
constexpr std::chrono::milliseconds kDrainPoll{20};
// How often the transaction count is looked at for returning memory, and the burst size worth it.
constexpr std::chrono::seconds kTrimCheck{5};
// A thousand transactions hold a few MiB; below that a trim is not worth its walk of the heap.
constexpr std::size_t kTrimBurst = 1'000;

sip::Transport to_sip(config::SipTransport transport) {
  switch (transport) {
    case config::SipTransport::Udp:
      return sip::Transport::Udp;
    case config::SipTransport::Tcp:
      return sip::Transport::Tcp;
    case config::SipTransport::Tls:
      return sip::Transport::Tls;
  }
  return sip::Transport::Udp;
}

sip::TransportConfig transport_config(const config::Config& config) {
  sip::TransportConfig out;
  for (const auto& listener : config.sip.listen) {
    out.listeners.push_back({to_sip(listener.transport), listener.address, listener.port});
  }
  out.advertised_host = config.sip.advertised_host;
  out.tls_certificate_file = config.sip.tls.certificate;
  out.tls_private_key_file = config.sip.tls.private_key;
  out.data_dir = config.data_dir;
  out.idle_timeout = config.sip.tcp_idle_timeout;
  out.max_connections = config.sip.max_connections;
  return out;
}

sip::TransactionConfig transaction_config(const config::Config& config) {
  sip::TransactionConfig out;
  out.timers.t1 = config.sip.timers.t1;
  out.timers.t2 = config.sip.timers.t2;
  out.timers.t4 = config.sip.timers.t4;
  return out;
}

// UasPolicy compares Request-URI hosts as written, and a URI writes IPv6 in brackets.
std::vector<std::string> policy_domains(const std::vector<std::string>& domains) {
  std::vector<std::string> out;
  for (const auto& domain : domains) {
    out.push_back(config::is_ipv6_literal(domain) ? "[" + domain + "]" : domain);
  }
  return out;
}

std::string describe(const sip::Endpoint& endpoint) {
  std::string name(sip::transport_name(endpoint.transport));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool v6 = config::is_ipv6_literal(endpoint.address);
  return name + " " + (v6 ? "[" : "") + endpoint.address + (v6 ? "]" : "") + ":" +
         std::to_string(endpoint.port);
}

sip::DigestServer::Config digest_config(const config::Config& config) {
  sip::DigestServer::Config out;
  out.realm = default_realm(config);
  out.algorithms.clear();
  for (const auto& name : config.security.digest_algorithms) {
    out.algorithms.push_back(name == "md5" ? sip::DigestAlgorithm::Md5
                                           : sip::DigestAlgorithm::Sha256);
  }
  return out;
}

pbx::PbxSettings pbx_settings(const config::Config& config, const sip::UasPolicy& policy) {
  pbx::PbxSettings out;
  out.policy = policy;
  out.registrar.min_expires = config.registrar.min_expires;
  out.registrar.max_expires = config.registrar.max_expires;
  out.registrar.default_expires = config.registrar.default_expires;
  out.registrar.max_contacts = config.registrar.max_contacts;
  out.registrar.qualify_interval = config.registrar.qualify_interval;
  out.throttle.max_failures = config.security.auth_failures;
  out.throttle.window = config.security.auth_failure_window;
  out.throttle.ban_time = config.security.auth_ban_time;
  out.calls.ring_timeout = config.calls.ring_timeout;
  out.calls.user_agent = config.sip.user_agent;
  out.calls.record_calls = config.media.anchor && config.media.record_calls;
  out.calls.recording_dir = recording_dir(config);
  out.calls.recording_format = config.media.recording_format;
  if (config.calls.session_expires.count() > 0) {
    out.sessions.session_expires = static_cast<std::uint32_t>(config.calls.session_expires.count());
  }
  out.sessions.user_agent = config.sip.user_agent;
  return out;
}

}  // namespace

std::string recording_dir(const config::Config& config) {
  if (!config.media.recording_dir.empty()) return config.media.recording_dir;
  return config.data_dir + "/recordings";
}

std::string default_realm(const config::Config& config) {
  if (!config.sip.domains.empty()) return config.sip.domains.front();
  if (!config.sip.advertised_host.empty()) return config.sip.advertised_host;
  return sip::local_host_name();
}

// Everything below runs on the SIP thread once start() returned, except where noted.
class SipStack::Impl final : public sip::TransactionUser {
 public:
  Impl(const config::Config& config, base::LogHub& logs, base::MetricsRegistry& metrics,
       pbx::PbxPersistence persistence, media::MediaEngine* media)
      : log_(logs.get("sip.core")),
        loop_("sip"),
        timers_(loop_.context()),
        transport_(loop_.context(), transport_config(config), metrics, logs.get("sip.transport")),
        transactions_(timers_, transport_, metrics, logs.get("sip.txn"),
                      transaction_config(config)),
        digest_(digest_config(config), timers_),
        // No accounts yet: every REGISTER is challenged, and credentials get 403.
        authenticator_(digest_, {}),
        responses_(config.sip.user_agent, default_realm(config)),
        policy_(sip::UasPolicy::defaults()),
        advertised_host_(config.sip.advertised_host),
        draining_count_(metrics.counter("sip_requests_refused_draining_total",
                                        "New SIP requests answered 503 during a graceful stop")) {
    policy_.domains = policy_domains(config.sip.domains);
    responder_ = std::make_unique<sip::DefaultResponder>(policy_, responses_, authenticator_);
    pbx_ = std::make_unique<pbx::PbxCore>(transactions_, transport_, timers_, metrics, logs,
                                          digest_, responses_, pbx_settings(config, policy_),
                                          std::move(persistence));
    if (media) {
      pbx_->calls().anchor_media(
          *media, [this](std::function<void()> task) { loop_.post(std::move(task)); });
    }
    transactions_.set_user(this);
    transport_.set_handler([this](sip::IncomingMessage incoming) {
      if (sip::answered_statelessly(incoming.message)) {
        answer_statelessly(incoming.message, incoming.source);
        return;
      }
      transactions_.on_message(std::move(incoming));
    });
  }

  ~Impl() override { stop(); }

  // Control thread.
  std::optional<std::string> start() {
    loop_.start();
    auto result = run_on_loop([this] { return transport_.start(); });
    if (!result) {
      loop_.stop();
      return result.error();
    }
    bound_ = *result;
    loop_.post([this] { schedule_trim_check(); });
    return std::nullopt;
  }

  const std::vector<sip::Endpoint>& bound() const { return bound_; }

  // Control thread.
  void drain(std::chrono::milliseconds timeout, std::function<void(std::size_t)> done) {
    loop_.post([this, timeout, done = std::move(done)]() mutable {
      draining_ = true;
      pbx_->drain();
      poll_drain(timers_.now() + timeout, std::move(done));
    });
  }

  // Control thread.
  void stop() {
    if (!loop_.running()) return;
    run_on_loop([this] {
      transactions_.set_user(nullptr);
      transport_.stop();
      return true;
    });
    loop_.stop();
  }

  // Control thread.
  void set_domains(std::vector<std::string> domains) {
    loop_.post([this, domains = policy_domains(domains)]() mutable {
      policy_.domains = std::move(domains);
      responder_ = std::make_unique<sip::DefaultResponder>(policy_, responses_, authenticator_);
    });
  }

  // Control thread.
  void reload_tls(std::string certificate_file, std::string private_key_file, TlsReloaded done) {
    if (!loop_.running()) return;
    loop_.post([this, certificate = std::move(certificate_file), key = std::move(private_key_file),
                done = std::move(done)] { done(transport_.reload_tls(certificate, key)); });
  }

  // sip::TransactionUser: the PBX answers everything; this layer only refuses new requests
  // while draining.
  void on_request(sip::ServerTransaction txn, const sip::Message& request,
                  const sip::Source& source) override {
    if (log_.debug_enabled()) {
      log_.debug("{} {} from {}", request.method_text(), request.call_id(),
                 source.remote.to_string());
    }
    const sip::NameAddr* to = request.to();
    if (draining_ && !(to && to->tag())) {  // calls in progress may still end (BYE) meanwhile
      draining_count_.inc();
      txn.respond(responses_.make(request, 503, "Shutting Down"));
      return;
    }
    pbx_->on_request(std::move(txn), request, source);
  }

  void on_ack(const sip::Message& ack, const sip::Source& source) override {
    pbx_->on_ack(ack, source);
  }

  void on_cancel(sip::ServerTransaction invite, const sip::Message& cancel,
                 const sip::Source& source) override {
    pbx_->on_cancel(std::move(invite), cancel, source);
  }

  void on_stray_response(const sip::Message& response, const sip::Source& source) override {
    pbx_->on_stray_response(response, source);
  }

  void on_server_failure(sip::ServerTransaction txn, sip::TransactionFailure failure) override {
    pbx_->on_server_failure(std::move(txn), failure);
  }

  // Control thread.
  void load(PbxSnapshot snapshot) {
    run_on_loop([this, &snapshot] {
      pbx_->load(std::move(snapshot.tenants), std::move(snapshot.extensions),
                 std::move(snapshot.bindings), local_hosts());
      return true;
    });
  }

  void post_to_pbx(std::function<void(pbx::PbxCore&)> task) {
    loop_.post([this, task = std::move(task)] { task(*pbx_); });
  }

 private:
  // Runs `task` on the SIP thread and waits for its result (start and stop only).
  template <typename Task>
  auto run_on_loop(Task task) -> decltype(task()) {
    using Result = decltype(task());
    auto promise = std::make_shared<std::promise<Result>>();
    auto future = promise->get_future();
    loop_.post([promise, &task] { promise->set_value(task()); });
    return future.get();
  }

  std::optional<sip::Message> answer(const sip::Message& request) {
    if (draining_) {
      draining_count_.inc();
      return responses_.make(request, 503, "Shutting Down");
    }
    return responder_->respond(request);
  }

  // The hosts the default tenant answers for: every address we listen on (all interface
  // addresses for a wildcard listener), the advertised host and the host name.
  std::vector<std::string> local_hosts() const {
    std::vector<std::string> hosts;
    bool wildcard = false;
    for (const auto& endpoint : bound_) {
      if (endpoint.address == "0.0.0.0" || endpoint.address == "::") {
        wildcard = true;
      } else {
        hosts.push_back(endpoint.address);
      }
    }
    if (wildcard) {
      for (auto& address : directory::local_host_addresses()) hosts.push_back(std::move(address));
    }
    if (!advertised_host_.empty()) hosts.push_back(advertised_host_);
    hosts.push_back(sip::local_host_name());
    hosts.emplace_back("localhost");
    return hosts;
  }

  void answer_statelessly(const sip::Message& request, const sip::Source& source) {
    if (log_.debug_enabled()) {
      log_.debug("{} {} from {} (stateless)", request.method_text(), request.call_id(),
                 source.remote.to_string());
    }
    auto response = answer(request);
    if (!response) return;
    response->set_to_tag(sip::stateless_to_tag(request));
    transactions_.send_response_stateless(*response, source);
  }

  // A burst of transactions (and of calls: every one lingers 32 s for Timer J, L or M over UDP)
  // leaves its memory free but inside glibc's arena of this thread, which never shrinks by
  // itself: 100,000 REGISTERs once kept 1.4 GiB resident after they had all ended. When most of
  // a burst is gone, hand the free pages back.
  void schedule_trim_check() {
    timers_.schedule(kTrimCheck, [this] {
      const std::size_t active = transactions_.active_transactions();
      transaction_peak_ = std::max(transaction_peak_, active);
      if (transaction_peak_ >= kTrimBurst && active < transaction_peak_ / 4) {
        ::malloc_trim(0);
        transaction_peak_ = active;
      }
      if (loop_.running()) schedule_trim_check();
    });
  }

  void poll_drain(base::TimePoint deadline, std::function<void(std::size_t)> done) {
    const std::size_t active = transactions_.unanswered_transactions();
    if (active == 0 || timers_.now() >= deadline) return done(active);
    timers_.schedule(kDrainPoll, [this, deadline, done = std::move(done)]() mutable {
      poll_drain(deadline, std::move(done));
    });
  }

  base::Logger log_;
  runtime::EventLoop loop_;
  runtime::AsioTimerService timers_;
  sip::TransportLayer transport_;
  sip::TransactionLayer transactions_;
  sip::DigestServer digest_;
  sip::RequestAuthenticator authenticator_;
  sip::ResponseFactory responses_;
  sip::UasPolicy policy_;
  std::unique_ptr<sip::DefaultResponder> responder_;
  std::unique_ptr<pbx::PbxCore> pbx_;
  std::string advertised_host_;
  base::Counter& draining_count_;
  std::vector<sip::Endpoint> bound_;
  bool draining_ = false;
  std::size_t transaction_peak_ = 0;
};

SipStack::SipStack(const config::Config& config, base::LogHub& logs, base::MetricsRegistry& metrics,
                   pbx::PbxPersistence persistence, media::MediaEngine* media)
    : impl_(std::make_unique<Impl>(config, logs, metrics, std::move(persistence), media)) {}

void SipStack::load(PbxSnapshot snapshot) {
  impl_->load(std::move(snapshot));
}

void SipStack::post_to_pbx(std::function<void(pbx::PbxCore&)> task) {
  impl_->post_to_pbx(std::move(task));
}

SipStack::~SipStack() {
  stop();
}

std::optional<std::string> SipStack::start() {
  return impl_->start();
}

std::vector<std::string> SipStack::listeners() const {
  std::vector<std::string> out;
  for (const auto& endpoint : impl_->bound()) out.push_back(describe(endpoint));
  return out;
}

void SipStack::drain(std::chrono::milliseconds timeout, std::function<void(std::size_t)> done) {
  impl_->drain(timeout, std::move(done));
}

void SipStack::stop() {
  impl_->stop();
}

void SipStack::set_domains(std::vector<std::string> domains) {
  impl_->set_domains(std::move(domains));
}

void SipStack::reload_tls(std::string certificate_file, std::string private_key_file,
                          TlsReloaded done) {
  impl_->reload_tls(std::move(certificate_file), std::move(private_key_file), std::move(done));
}

}  // namespace kolokol::server
