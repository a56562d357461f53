#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kolokol::sip {

enum class Transport : std::uint8_t { Udp, Tcp, Tls };

std::string_view transport_name(Transport t);                         // "UDP", "TCP", "TLS"
std::optional<Transport> transport_from_name(std::string_view name);  // case-insensitive
inline bool is_reliable(Transport t) {
  return t != Transport::Udp;
}

// A transport address. address is an IP literal without brackets ("127.0.0.1", "::1").
struct Endpoint {
  Transport transport = Transport::Udp;
  std::string address;
  std::uint16_t port = 0;

  bool operator==(const Endpoint&) const = default;
  std::string to_string() const;  // "UDP 127.0.0.1:5060", "TCP [::1]:5060"
};

// Identifies one TCP/TLS connection for its lifetime; 0 for datagrams.
using ConnectionId = std::uint64_t;

// Where a message came from and on which local listener it arrived.
struct Source {
  Endpoint remote;
  Endpoint local;
  ConnectionId connection = 0;
};

}  // namespace kolokol::sip
