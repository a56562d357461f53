#pragma once

#include <string>
#include <string_view>

#include "sip/transport/endpoint.h"

namespace kolokol::sip {

// Local spellings of the transport names and endpoints for Via headers and log lines, so the
// transaction layer needs nothing compiled in the transport module.
inline std::string_view via_transport(Transport transport) {
  switch (transport) {
    case Transport::Udp:
      return "UDP";
    case Transport::Tcp:
      return "TCP";
    case Transport::Tls:
      return "TLS";
  }
  return "UDP";
}

inline std::string endpoint_text(const Endpoint& endpoint) {
  const bool v6 = endpoint.address.find(':') != std::string::npos;
  std::string out(via_transport(endpoint.transport));
  out += ' ';
  out += v6 ? "[" + endpoint.address + "]" : endpoint.address;
  out += ':';
  out += std::to_string(endpoint.port);
  return out;
}

}  // namespace kolokol::sip
