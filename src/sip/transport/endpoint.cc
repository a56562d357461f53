#include "sip/transport/endpoint.h"

#include <cctype>

namespace kolokol::sip {

std::string_view transport_name(Transport t) {
  switch (t) {
    case Transport::Udp:
      return "UDP";
    case Transport::Tcp:
      return "TCP";
    case Transport::Tls:
      return "TLS";
  }
  return "UDP";
}

std::optional<Transport> transport_from_name(std::string_view name) {
  auto equals = [name](std::string_view upper) {
    if (name.size() != upper.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      if (std::toupper(static_cast<unsigned char>(name[i])) != upper[i]) return false;
    }
    return true;
  };
  if (equals("UDP")) return Transport::Udp;
  if (equals("TCP")) return Transport::Tcp;
  if (equals("TLS")) return Transport::Tls;
  return std::nullopt;
}

std::string Endpoint::to_string() const {
  std::string out(transport_name(transport));
  out += ' ';
  const bool v6 = address.find(':') != std::string::npos;
  if (v6) out += '[';
  out += address;
  if (v6) out += ']';
  out += ':';
  out += std::to_string(port);
  return out;
}

}  // namespace kolokol::sip
