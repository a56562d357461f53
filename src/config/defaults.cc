#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config/config.h"

namespace kolokol::config {

std::string_view to_string(SipTransport transport) {
  switch (transport) {
    case SipTransport::Udp:
      return "udp";
    case SipTransport::Tcp:
      return "tcp";
    case SipTransport::Tls:
      return "tls";
  }
  return "?";
}

Config default_config(const DefaultsContext& context) {
  Config config;
  std::vector<std::string> addresses{"0.0.0.0"};
  if (context.ipv6_available) addresses.push_back("::");
  for (const auto& address : addresses) {
    config.sip.listen.push_back({SipTransport::Udp, address, 5060});
    config.sip.listen.push_back({SipTransport::Tcp, address, 5060});
    config.sip.listen.push_back({SipTransport::Tls, address, 5061});
  }
  config.sip.user_agent = "Kolokol/" + context.version;
  return config;
}

bool host_has_ipv6() {
  // Binding [::1]:0 succeeds only when the kernel has IPv6 enabled with a loopback address; a
  // host booted with ipv6.disable=1 or disable_ipv6=1 fails here and gets IPv4 listeners only.
  const int fd = ::socket(AF_INET6, SOCK_DGRAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return bound;
}

}  // namespace kolokol::config
