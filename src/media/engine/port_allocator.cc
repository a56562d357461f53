#include "media/engine/port_allocator.h"

#include <fcntl.h>
#include <sys/socket.h>

namespace kolokol::media {

namespace {

UniqueFd bound_socket(const UdpAddress& address, int buffer_bytes) {
  UniqueFd fd(::socket(address.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return fd;
  if (address.family() == AF_INET6) {
    const int v6only = 0;  // "::" serves IPv4 peers too, as IPv4-mapped addresses
    ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  }
  if (buffer_bytes > 0) {
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
    ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes);
  }
  if (::bind(fd.get(), address.data(), address.length()) != 0) fd.reset();
  return fd;
}

}  // namespace

PortAllocator::PortAllocator(UdpAddress bind_address, std::uint16_t port_min,
                             std::uint16_t port_max, int socket_buffer_bytes)
    : bind_address_(bind_address),
      first_port_(static_cast<std::uint16_t>((port_min + 1) & ~1)),
      pair_count_(port_max > first_port_ ? (port_max - first_port_ + 1) / 2 : 0),
      socket_buffer_bytes_(socket_buffer_bytes) {}

std::optional<RtpSocketPair> PortAllocator::allocate() {
  for (std::uint32_t tried = 0; tried < pair_count_; ++tried) {
    std::uint32_t index;
    {
      std::lock_guard lock(mutex_);
      index = cursor_;
      cursor_ = (cursor_ + 1) % pair_count_;
    }
    const auto port = static_cast<std::uint16_t>(first_port_ + 2 * index);
    if (auto pair = try_bind(port)) return pair;
  }
  return std::nullopt;
}

std::optional<RtpSocketPair> PortAllocator::try_bind(std::uint16_t rtp_port) const {
  RtpSocketPair pair;
  pair.rtp = bound_socket(bind_address_.with_port(rtp_port), socket_buffer_bytes_);
  if (!pair.rtp.valid()) return std::nullopt;
  pair.rtcp = bound_socket(bind_address_.with_port(rtp_port + 1), socket_buffer_bytes_);
  if (!pair.rtcp.valid()) return std::nullopt;
  pair.rtp_port = rtp_port;
  pair.family = bind_address_.family();
  return pair;
}

}  // namespace kolokol::media
