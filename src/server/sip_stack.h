#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "base/expected.h"
#include "base/log.h"
#include "base/metrics.h"
#include "call/call_types.h"
#include "config/config.h"
#include "media/engine/media_engine.h"
#include "pbx/pbx_core.h"
#include "server/pbx_store.h"

namespace kolokol::server {

// The realm of digest challenges for tenants created without a domain: the first served domain,
// else the advertised host, else the host name.
std::string default_realm(const config::Config& config);
// media.recording_dir, or <data_dir>/recordings when it is empty.
std::string recording_dir(const config::Config& config);

// The SIP side of the daemon on its own thread: transport layer -> transaction layer -> the
// daemon's own answers (request validation, OPTIONS 200, REGISTER 401, INVITE 480 ...; see
// sip/core/default_responder.h). The daemon talks to it only through these calls, each safe
// from the control thread.
class SipStack {
 public:
  // `media`: anchors every call's media when given; must outlive the stack.
  SipStack(const config::Config& config, base::LogHub& logs, base::MetricsRegistry& metrics,
           pbx::PbxPersistence persistence, media::MediaEngine* media = nullptr);
  ~SipStack();  // stops
  SipStack(const SipStack&) = delete;
  SipStack& operator=(const SipStack&) = delete;

  // Binds every listener (generating the self-signed TLS pair if needed) and starts the SIP
  // thread; the error names the listener or file that failed.
  std::optional<std::string> start();
  // Hands the PBX its data (after start(): local addresses are known then). Waits until done.
  void load(PbxSnapshot snapshot);
  // "udp 0.0.0.0:5060" for each listener bound.
  std::vector<std::string> listeners() const;

  // Runs `task` with the PBX on the SIP thread and returns its result; for the admin API.
  template <typename Task>
  auto with_pbx(Task task) -> decltype(task(std::declval<pbx::PbxCore&>())) {
    using Result = decltype(task(std::declval<pbx::PbxCore&>()));
    auto promise = std::make_shared<std::promise<Result>>();
    auto future = promise->get_future();
    post_to_pbx([promise, task = std::move(task)](pbx::PbxCore& core) mutable {
      if constexpr (std::is_void_v<Result>) {
        task(core);
        promise->set_value();
      } else {
        promise->set_value(task(core));
      }
    });
    return future.get();
  }

  // Graceful stop, phase one: every new request (but ACK) is answered 503 from now on; `done`
  // runs on the SIP thread with the number of transactions still without a final response once
  // none is left or `timeout` has passed, whichever comes first.
  void drain(std::chrono::milliseconds timeout, std::function<void(std::size_t remaining)> done);
  // Phase two: closes the sockets and joins the SIP thread. Idempotent.
  void stop();

  // SIGHUP: the domains whose Request-URIs we accept (empty: any).
  void set_domains(std::vector<std::string> domains);
  // SIGHUP: reads the TLS certificate and key again (both empty: the generated pair) for new
  // connections; on error the certificate in use stays. `done` runs on the SIP thread with the
  // certificate file now in use, or the error. Not called when the stack is not running.
  using TlsReloaded = std::function<void(base::Expected<std::string, std::string>)>;
  void reload_tls(std::string certificate_file, std::string private_key_file, TlsReloaded done);

 private:
  void post_to_pbx(std::function<void(pbx::PbxCore&)> task);

  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kolokol::server
