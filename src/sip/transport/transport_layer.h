#pragma once

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/expected.h"
#include "base/log.h"
#include "base/metrics.h"
#include "sip/transport/endpoint.h"
#include "sip/transport/incoming_message.h"
#include "sip/transport/transport_config.h"
#include "sip/transport/transport_sink.h"

namespace kolokol::sip {

// The SIP transports (UDP, TCP, TLS over IPv4 and IPv6) on one io_context, the signalling
// thread: every method must be called on that thread, and the handler and error callbacks run
// on it.
//
// Receiving: datagrams and stream frames are parsed; unparseable input is counted
// (sip_parse_errors_total) and dropped, responses with a defect are dropped, requests get
// received/rport in their top Via (RFC 3261 18.2.1, RFC 3581) and go to the handler with
// their defect, if any, for the core to answer. CRLF keep-alive pings get a pong.
// Sending: see TransportSink. Requests to an address a peer's connection announced in its Via
// sent-by reuse that connection.
class TransportLayer final : public TransportSink {
 public:
  using Handler = std::function<void(IncomingMessage)>;

  TransportLayer(boost::asio::io_context& io, TransportConfig config,
                 base::MetricsRegistry& metrics, base::Logger logger);
  ~TransportLayer() override;  // stops
  TransportLayer(const TransportLayer&) = delete;
  TransportLayer& operator=(const TransportLayer&) = delete;

  // Binds every listener (and prepares TLS: the configured files, or a generated self-signed
  // certificate in <data_dir>/tls). On failure nothing stays bound and the error names the
  // address or file. Returns the bound endpoints, in listener order (real ports for port 0).
  base::Expected<std::vector<Endpoint>, std::string> start();
  // Closes listeners and connections; queued sends fail. start() may be called again.
  void stop();

  void set_handler(Handler handler);

  void send_request(Message& request, const Endpoint& destination, ErrorHandler on_error) override;
  void send_response(const Message& response, const Source& request_source,
                     ErrorHandler on_error = {}) override;

  std::vector<Endpoint> local_endpoints() const;
  // The host a Contact (or Via sent-by) of ours names for messages leaving through `local`
  // towards `remote_address`: the listener's own address, else advertised_host for a wildcard
  // listener, else the source address the kernel picks for that destination.
  std::string local_host_for(const Endpoint& local, std::string_view remote_address);
  std::size_t connection_count() const;
  // The certificate in use for TLS (generated or configured); empty without TLS listeners.
  std::string tls_certificate_file() const;
  // SIGHUP: reads the certificate and key again (both empty: the self-signed pair in
  // <data_dir>/tls, regenerated if gone) and uses them for connections opened from now on;
  // open connections keep theirs. On error (no TLS listener, unreadable file, key not matching)
  // the current certificate stays. Returns the certificate file now in use. Blocking file I/O,
  // but only a few kilobytes once per reload.
  base::Expected<std::string, std::string> reload_tls(const std::string& certificate_file,
                                                      const std::string& private_key_file);

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kolokol::sip
