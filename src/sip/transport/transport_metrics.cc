#include "sip/transport/transport_metrics.h"

#include <string>

namespace kolokol::sip {
namespace {

constexpr const char* kMessagesHelp = "SIP messages by direction, transport and method or status";

std::string direction_label(Direction d) {
  return d == Direction::In ? "in" : "out";
}
std::string transport_label(Transport t) {
  return std::string(transport_name(t));
}

}  // namespace

TransportMetrics::TransportMetrics(base::MetricsRegistry& registry)
    : registry_(registry), responses_(2 * kTransports * (kMaxStatus - kMinStatus + 2), nullptr) {
  for (Transport t : {Transport::Udp, Transport::Tcp, Transport::Tls}) {
    const base::Labels labels{{"transport", transport_label(t)}};
    parse_errors_[index(t)] = &registry.counter(
        "sip_parse_errors_total", "SIP messages that could not be parsed or were dropped", labels);
    invalid_requests_[index(t)] = &registry.counter(
        "sip_invalid_requests_total",
        "SIP requests readable but breaking RFC 3261 (answered 400 or 505)", labels);
    connections_[index(t)] =
        &registry.gauge("sip_transport_connections", "Open SIP TCP/TLS connections", labels);
    connections_total_[index(t)] = &registry.counter(
        "sip_transport_connections_total", "SIP TCP/TLS connections accepted or opened", labels);
    rejected_[index(t)] =
        &registry.counter("sip_transport_connections_rejected_total",
                          "SIP TCP/TLS connections closed at accept (over the limit)", labels);
    for (Direction d : {Direction::In, Direction::Out}) {
      bytes_[static_cast<std::size_t>(d)][index(t)] =
          &registry.counter("sip_transport_bytes_total", "SIP bytes received and sent",
                            {{"direction", direction_label(d)}, {"transport", transport_label(t)}});
    }
  }
}

void TransportMetrics::message(Direction direction, Transport transport, const Message& m) {
  if (m.is_request()) {
    request_counter(direction, transport, m).inc();
  } else {
    response_counter(direction, transport, m.status()).inc();
  }
}

base::Counter& TransportMetrics::request_counter(Direction direction, Transport transport,
                                                 const Message& m) {
  const auto method = static_cast<std::size_t>(m.method());
  const std::size_t slot = method < kMethods ? method : 0;
  base::Counter*& counter = requests_[static_cast<std::size_t>(direction)][index(transport)][slot];
  if (counter == nullptr) {
    // Unknown methods share one series: method names from the wire would let a peer create
    // series without bound.
    const std::string name =
        slot == 0 ? std::string("OTHER") : std::string(method_name(static_cast<Method>(slot)));
    counter = &registry_.counter("sip_messages_total", kMessagesHelp,
                                 {{"direction", direction_label(direction)},
                                  {"transport", transport_label(transport)},
                                  {"method", name}});
  }
  return *counter;
}

base::Counter& TransportMetrics::response_counter(Direction direction, Transport transport,
                                                  int status) {
  const bool known = status >= kMinStatus && status <= kMaxStatus;
  const std::size_t per_transport = kMaxStatus - kMinStatus + 2;  // last slot: out of range
  const std::size_t slot =
      known ? static_cast<std::size_t>(status - kMinStatus) : per_transport - 1;
  base::Counter*& counter =
      responses_[(static_cast<std::size_t>(direction) * kTransports + index(transport)) *
                     per_transport +
                 slot];
  if (counter == nullptr) {
    counter = &registry_.counter("sip_messages_total", kMessagesHelp,
                                 {{"direction", direction_label(direction)},
                                  {"transport", transport_label(transport)},
                                  {"status", known ? std::to_string(status) : "other"}});
  }
  return *counter;
}

}  // namespace kolokol::sip
