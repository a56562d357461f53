#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/expected.h"
#include "base/log.h"
#include "base/metrics.h"
#include "config/config.h"

namespace kolokol::server {

// The SIP side of the daemon on its own thread: transport layer -> transaction layer -> the
// daemon's own answers (request validation, OPTIONS 200, REGISTER 401, INVITE 480 ...; see
// sip/core/default_responder.h). The daemon talks to it only through these calls, each safe
// from the control thread.
class SipStack {
 public:
  SipStack(const config::Config& config, base::LogHub& logs, base::MetricsRegistry& metrics);
  ~SipStack();  // stops
  SipStack(const SipStack&) = delete;
  SipStack& operator=(const SipStack&) = delete;

  // Binds every listener (generating the self-signed TLS pair if needed) and starts the SIP
  // thread; the error names the listener or file that failed.
  std::optional<std::string> start();
  // "udp 0.0.0.0:5060" for each listener bound.
  std::vector<std::string> listeners() const;

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
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kolokol::server
