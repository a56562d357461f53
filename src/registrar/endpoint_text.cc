#include "registrar/endpoint_text.h"

#include <charconv>
#include <string>

#include "base/text.h"

namespace kolokol::registrar {

std::string endpoint_text(const sip::Endpoint& endpoint) {
  std::string transport(sip::transport_name(endpoint.transport));
  for (char& c : transport) c = base::ascii_lower(c);
  const bool v6 = endpoint.address.find(':') != std::string::npos;
  return transport + ":" + (v6 ? "[" + endpoint.address + "]" : endpoint.address) + ":" +
         std::to_string(endpoint.port);
}

std::optional<sip::Endpoint> parse_endpoint_text(std::string_view text) {
  const auto colon = text.find(':');
  const auto last = text.rfind(':');
  if (colon == std::string_view::npos || last == colon) return std::nullopt;
  auto transport = sip::transport_from_name(text.substr(0, colon));
  if (!transport) return std::nullopt;
  std::string_view host = text.substr(colon + 1, last - colon - 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::uint16_t port = 0;
  const std::string_view port_text = text.substr(last + 1);
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || host.empty()) {
    return std::nullopt;
  }
  return sip::Endpoint{*transport, std::string(host), port};
}

}  // namespace kolokol::registrar
