#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kolokol::media {

// A UDP peer address in the form the socket calls take. IPv4 peers of a dual-stack (IPv6)
// socket are kept as IPv4-mapped IPv6 addresses (to_family) so that comparisons of what
// recvmmsg reports with what SDP said work on one representation.
class UdpAddress {
 public:
  UdpAddress() = default;
  // Numeric IPv4 or IPv6 text ("192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1"), no brackets.
  static std::optional<UdpAddress> parse(std::string_view ip, std::uint16_t port);
  static UdpAddress from_sockaddr(const sockaddr* address, socklen_t length);

  // The same address as the given socket family uses it: AF_INET6 maps an IPv4 address,
  // AF_INET unmaps a mapped one (nullopt when a real IPv6 address cannot be expressed).
  std::optional<UdpAddress> to_family(int family) const;

  bool valid() const { return length_ != 0; }
  int family() const { return storage_.ss_family; }
  bool is_ipv6() const { return family() == AF_INET6 && !is_v4_mapped(); }
  bool is_v4_mapped() const;
  std::uint16_t port() const;
  UdpAddress with_port(std::uint16_t port) const;
  std::string ip() const;         // without brackets, mapped addresses shown as IPv4
  std::string to_string() const;  // "192.0.2.1:4000", "[2001:db8::1]:4000"

  const sockaddr* data() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  sockaddr* data() { return reinterpret_cast<sockaddr*>(&storage_); }
  socklen_t length() const { return length_; }

  bool operator==(const UdpAddress& other) const;
  bool same_ip(const UdpAddress& other) const;

 private:
  sockaddr_storage storage_{};
  socklen_t length_ = 0;
};

}  // namespace kolokol::media
