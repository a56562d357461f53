#include "sip/transport/response_route.h"

#include "sip/transport/ip_address.h"

namespace kolokol::sip {
namespace {

base::Expected<Endpoint, std::string> checked(Transport transport,
                                              const boost::asio::ip::address& address,
                                              std::uint16_t port) {
  if (is_forbidden_destination(address)) {
    return base::unexpected("refusing to send to " + address.to_string() +
                            " (unspecified, broadcast or multicast)");
  }
  if (port == 0) return base::unexpected(std::string("destination port 0"));
  return Endpoint{transport, address.to_string(), port};
}

}  // namespace

base::Expected<Endpoint, std::string> route_response(const Via& via, Transport transport) {
  const std::uint16_t sent_by_port = via.port.value_or(default_port(transport));

  if (transport == Transport::Udp) {
    if (auto maddr = via.maddr()) {
      auto address = parse_ip_literal(*maddr);
      if (!address) return base::unexpected("maddr " + std::string(*maddr) + " is no IP literal");
      return checked(transport, *address, sent_by_port);
    }
  }
  if (auto received = via.received()) {
    auto address = parse_ip_literal(*received);
    if (!address) {
      return base::unexpected("received " + std::string(*received) + " is no IP literal");
    }
    const auto rport = via.rport();
    const bool use_rport = transport == Transport::Udp && rport.has_value();
    return checked(transport, *address, use_rport ? *rport : sent_by_port);
  }
  auto address = parse_ip_literal(via.host);
  if (!address) {
    return base::unexpected("sent-by " + via.host + " is no IP literal and there is no received");
  }
  const auto rport = via.rport();
  const bool use_rport = transport == Transport::Udp && rport.has_value();
  return checked(transport, *address, use_rport ? *rport : sent_by_port);
}

}  // namespace kolokol::sip
