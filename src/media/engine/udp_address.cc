#include "media/engine/udp_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace kolokol::media {

std::optional<UdpAddress> UdpAddress::parse(std::string_view ip, std::uint16_t port) {
  if (ip.empty() || ip.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char text[INET6_ADDRSTRLEN] = {};
  std::memcpy(text, ip.data(), ip.size());
  UdpAddress out;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage_);
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out.length_ = sizeof(sockaddr_in);
    return out;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage_);
  if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    out.length_ = sizeof(sockaddr_in6);
    return out;
  }
  return std::nullopt;
}

UdpAddress UdpAddress::from_sockaddr(const sockaddr* address, socklen_t length) {
  UdpAddress out;
  if (length > sizeof(out.storage_)) return out;
  std::memcpy(&out.storage_, address, length);
  out.length_ = length;
  return out;
}

bool UdpAddress::is_v4_mapped() const {
  if (family() != AF_INET6) return false;
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&storage_);
  return IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr);
}

std::optional<UdpAddress> UdpAddress::to_family(int target) const {
  if (!valid()) return std::nullopt;
  if (family() == target) {
    if (target == AF_INET6 || !is_v4_mapped()) return *this;
  }
  UdpAddress out;
  if (target == AF_INET6 && family() == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&storage_);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage_);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = v4->sin_port;
    v6->sin6_addr.s6_addr[10] = 0xFF;
    v6->sin6_addr.s6_addr[11] = 0xFF;
    std::memcpy(&v6->sin6_addr.s6_addr[12], &v4->sin_addr, 4);
    out.length_ = sizeof(sockaddr_in6);
    return out;
  }
  if (target == AF_INET && is_v4_mapped()) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&storage_);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage_);
    v4->sin_family = AF_INET;
    v4->sin_port = v6->sin6_port;
    std::memcpy(&v4->sin_addr, &v6->sin6_addr.s6_addr[12], 4);
    out.length_ = sizeof(sockaddr_in);
    return out;
  }
  return std::nullopt;
}

std::uint16_t UdpAddress::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (family() == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  }
  return 0;
}

UdpAddress UdpAddress::with_port(std::uint16_t port) const {
  UdpAddress out = *this;
  if (family() == AF_INET) reinterpret_cast<sockaddr_in*>(&out.storage_)->sin_port = htons(port);
  if (family() == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(&out.storage_)->sin6_port = htons(port);
  }
  return out;
}

std::string UdpAddress::ip() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, text,
              sizeof text);
  } else if (is_v4_mapped()) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr.s6_addr[12],
              text, sizeof text);
  } else if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, text,
              sizeof text);
  }
  return text;
}

std::string UdpAddress::to_string() const {
  if (is_ipv6()) return "[" + ip() + "]:" + std::to_string(port());
  return ip() + ":" + std::to_string(port());
}

bool UdpAddress::same_ip(const UdpAddress& other) const {
  const auto a = to_family(AF_INET6);
  const auto b = other.to_family(AF_INET6);
  if (!a || !b) return false;
  const auto* x = reinterpret_cast<const sockaddr_in6*>(a->data());
  const auto* y = reinterpret_cast<const sockaddr_in6*>(b->data());
  return std::memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(in6_addr)) == 0;
}

bool UdpAddress::operator==(const UdpAddress& other) const {
  // The relay compares every packet's source: same-family addresses without conversions.
  if (family() == AF_INET && other.family() == AF_INET) {
    const auto* x = reinterpret_cast<const sockaddr_in*>(&storage_);
    const auto* y = reinterpret_cast<const sockaddr_in*>(&other.storage_);
    return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
  }
  if (family() == AF_INET6 && other.family() == AF_INET6) {
    const auto* x = reinterpret_cast<const sockaddr_in6*>(&storage_);
    const auto* y = reinterpret_cast<const sockaddr_in6*>(&other.storage_);
    return x->sin6_port == y->sin6_port &&
           std::memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(in6_addr)) == 0;
  }
  return same_ip(other) && port() == other.port();
}

}  // namespace kolokol::media
