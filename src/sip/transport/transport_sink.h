#pragma once

#include <functional>
#include <string_view>

#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"

namespace kolokol::sip {

// What the transaction layer needs from the transport layer. Implemented by TransportLayer
// (transport_layer.h) and by fakes in tests.
class TransportSink {
 public:
  using ErrorHandler = std::function<void(std::string_view reason)>;

  virtual ~TransportSink() = default;

  // Sends a request to destination. The transport fills in the top Via's transport, sent-by host
  // and port (and adds rport); the caller sets the branch. TCP/TLS reuse a connection to the
  // destination or open one. on_error runs later, on the caller's thread, if the message could
  // not be delivered (connect refused, TLS handshake failure, ICMP unreachable ...).
  virtual void send_request(Message& request, const Endpoint& destination,
                            ErrorHandler on_error) = 0;

  // Sends a response per RFC 3261 section 18.2.2 / RFC 3581: over the request's connection when
  // it is still open (else a new one to received/sent-by), for UDP to maddr, else to received
  // with rport or the sent-by port. Never to a broadcast or unspecified address. on_error runs
  // later, on the caller's thread, if the response was dropped (no route, forbidden destination,
  // no listener) or could not be delivered (connect refused, write failed); empty: ignored.
  virtual void send_response(const Message& response, const Source& request_source,
                             ErrorHandler on_error = {}) = 0;
};

}  // namespace kolokol::sip
