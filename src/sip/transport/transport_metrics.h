#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "base/metrics.h"
#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"

namespace kolokol::sip {

enum class Direction : std::uint8_t { In, Out };

// The transport layer's metrics. Series are resolved once (or on first use for method/status
// labels) and kept as references, so counting a message is an array lookup and an atomic add.
//   sip_messages_total{direction,transport,method}   requests
//   sip_messages_total{direction,transport,status}   responses, status = the code
//   sip_parse_errors_total{transport}                 unparseable messages, malformed responses
//   sip_invalid_requests_total{transport}             readable requests that break RFC 3261
//   (400/505) sip_transport_connections{transport}              open TCP/TLS connections (gauge)
//   sip_transport_connections_total{transport}        accepted + connected
//   sip_transport_connections_rejected_total{transport}  closed at accept: over the limit
//   sip_transport_bytes_total{direction,transport}
class TransportMetrics {
 public:
  explicit TransportMetrics(base::MetricsRegistry& registry);

  void message(Direction direction, Transport transport, const Message& message);
  void parse_error(Transport transport) { parse_errors_[index(transport)]->inc(); }
  void invalid_request(Transport transport) { invalid_requests_[index(transport)]->inc(); }
  base::Gauge& connections(Transport transport) { return *connections_[index(transport)]; }
  void connection_opened(Transport transport) { connections_total_[index(transport)]->inc(); }
  void connection_rejected(Transport transport) { rejected_[index(transport)]->inc(); }
  void bytes(Direction direction, Transport transport, std::size_t n) {
    bytes_[static_cast<std::size_t>(direction)][index(transport)]->inc(n);
  }

 private:
  static constexpr std::size_t kTransports = 3;
  static constexpr std::size_t kMethods = 16;  // Method enum values
  static constexpr int kMinStatus = 100;
  static constexpr int kMaxStatus = 699;
  static std::size_t index(Transport t) { return static_cast<std::size_t>(t); }

  base::Counter& request_counter(Direction direction, Transport transport, const Message& m);
  base::Counter& response_counter(Direction direction, Transport transport, int status);

  base::MetricsRegistry& registry_;
  std::array<base::Counter*, kTransports> parse_errors_{};
  std::array<base::Counter*, kTransports> invalid_requests_{};
  std::array<base::Gauge*, kTransports> connections_{};
  std::array<base::Counter*, kTransports> connections_total_{};
  std::array<base::Counter*, kTransports> rejected_{};
  std::array<std::array<base::Counter*, kTransports>, 2> bytes_{};
  // Lazily resolved: [direction][transport][method] and [direction][transport][status - 100].
  std::array<std::array<std::array<base::Counter*, kMethods>, kTransports>, 2> requests_{};
  std::vector<base::Counter*> responses_;
};

}  // namespace kolokol::sip
