#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sip/transport/endpoint.h"

namespace kolokol::registrar {

// "udp:192.0.2.1:5060", "tcp:[2001:db8::1]:5060": how bindings store the address a
// registration came from and the listener it arrived on.
std::string endpoint_text(const sip::Endpoint& endpoint);
std::optional<sip::Endpoint> parse_endpoint_text(std::string_view text);

}  // namespace kolokol::registrar
