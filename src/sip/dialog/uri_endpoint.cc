#include "sip/dialog/uri_endpoint.h"

#include <arpa/inet.h>

#include <string>

namespace kolokol::sip {

namespace {

bool is_ip_literal(const std::string& address) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, address.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

}  // namespace

std::optional<Endpoint> endpoint_from_uri(const Uri& uri, Transport fallback) {
  if (!uri.is_sip()) return std::nullopt;
  std::string host = uri.host;
  if (auto maddr = param_value(uri.params, "maddr")) host = std::string(*maddr);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (!is_ip_literal(host)) return std::nullopt;
  Transport transport = uri.scheme == UriScheme::Sips ? Transport::Tls : fallback;
  if (auto name = param_value(uri.params, "transport")) {
    if (auto parsed = transport_from_name(*name)) transport = *parsed;
  }
  Endpoint endpoint;
  endpoint.transport = transport;
  endpoint.address = host;
  endpoint.port = uri.port.value_or(transport == Transport::Tls ? 5061 : 5060);
  return endpoint;
}

NameAddr contact_for_endpoint(const Endpoint& local, std::string_view user) {
  NameAddr contact;
  contact.uri.scheme = UriScheme::Sip;
  contact.uri.scheme_text = "sip";
  contact.uri.user = std::string(user);
  contact.uri.host =
      local.address.find(':') != std::string::npos ? "[" + local.address + "]" : local.address;
  contact.uri.port = local.port;
  if (local.transport != Transport::Udp) {
    std::string name(transport_name(local.transport));
    for (char& c : name) c = static_cast<char>(c - 'A' + 'a');
    set_param(contact.uri.params, "transport", name);
  }
  return contact;
}

}  // namespace kolokol::sip
