#pragma once

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/transport/endpoint.h"

namespace kolokol::sip {

// An IP literal as written in a URI or Via ("[::1]" or "::1", "10.0.0.1"); nullopt for host
// names and garbage. Never resolves names.
std::optional<boost::asio::ip::address> parse_ip_literal(std::string_view host);

// The canonical text of an IP literal ("::1" for "[0:0::1]"); the input unchanged otherwise.
std::string canonical_address(std::string_view host);

// The host as it goes into a Via sent-by or URI: IPv6 in brackets.
std::string host_for_header(const boost::asio::ip::address& address);

// Addresses no SIP message is ever sent to: unspecified (0.0.0.0, ::), the limited broadcast
// 255.255.255.255, multicast (224.0.0.0/4, ff00::/8), IPv4-mapped forms of these
// (RFC 4475 3.3.11 bcast).
bool is_forbidden_destination(const boost::asio::ip::address& address);

// RFC 3261 default port of a transport: 5061 for TLS, 5060 otherwise.
inline std::uint16_t default_port(Transport t) {
  return t == Transport::Tls ? 5061 : 5060;
}

}  // namespace kolokol::sip
