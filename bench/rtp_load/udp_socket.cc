#include "udp_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

namespace kolokol::rtpload {

base::Expected<int, std::string> open_udp_socket(std::uint16_t port, int buffer_bytes) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return base::unexpected(std::string("socket: ") + std::strerror(errno));
  // Best effort: the kernel caps these at net.core.{r,w}mem_max for an unprivileged process.
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes);
  const sockaddr_in address = loopback_address(port);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    std::string error = "bind 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno);
    close(fd);
    return base::unexpected(std::move(error));
  }
  return fd;
}

std::uint16_t local_port(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

sockaddr_in loopback_address(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

base::Expected<sockaddr_in, std::string> parse_host_port(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return base::unexpected("expected host:port, got " + text);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  const std::string host = text.substr(0, colon);
  if (inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &address.sin_addr) !=
      1) {
    return base::unexpected("not an IPv4 address: " + host);
  }
  const int port = std::atoi(text.c_str() + colon + 1);
  if (port <= 0 || port > 65535) return base::unexpected("bad port in " + text);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  return address;
}

base::Expected<std::size_t, std::string> raise_open_file_limit(std::size_t needed) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return base::unexpected(std::string("getrlimit: ") + std::strerror(errno));
  }
  if (limit.rlim_cur >= needed) return static_cast<std::size_t>(limit.rlim_cur);
  if (limit.rlim_max < needed) {
    return base::unexpected("need " + std::to_string(needed) + " open files, the hard limit is " +
                            std::to_string(limit.rlim_max) + " (ulimit -Hn)");
  }
  limit.rlim_cur = needed;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return base::unexpected(std::string("setrlimit: ") + std::strerror(errno));
  }
  return needed;
}

std::map<std::string, std::uint64_t> kernel_udp_counters() {
  std::map<std::string, std::uint64_t> counters;
  std::ifstream snmp("/proc/net/snmp");
  std::string line;
  std::vector<std::string> names;
  while (std::getline(snmp, line)) {
    if (line.rfind("Udp: ", 0) != 0) continue;
    std::istringstream fields(line.substr(5));
    if (names.empty()) {
      for (std::string name; fields >> name;) names.push_back(name);
    } else {
      std::uint64_t value = 0;
      for (std::size_t i = 0; i < names.size() && fields >> value; ++i) counters[names[i]] = value;
      break;
    }
  }
  return counters;
}

EndpointSet::EndpointSet(std::size_t count)
    : count_(count), endpoints_(std::make_unique<Endpoint[]>(count)) {}

EndpointSet::~EndpointSet() {
  for (std::size_t i = 0; i < count_; ++i) {
    if (endpoints_[i].fd >= 0) close(endpoints_[i].fd);
  }
}

base::Expected<std::unique_ptr<EndpointSet>, std::string> EndpointSet::open(std::size_t count,
                                                                            std::uint16_t port_base,
                                                                            int buffer_bytes) {
  std::unique_ptr<EndpointSet> set(new EndpointSet(count));
  std::mt19937 random(std::random_device{}());
  std::uint32_t port = port_base + (port_base & 1U);
  for (std::size_t i = 0; i < count; ++i) {
    Endpoint& endpoint = set->endpoints_[i];
    for (;; port += 2) {
      if (port > 65534) {
        return base::unexpected("ran out of ports above " + std::to_string(port_base) + " after " +
                                std::to_string(i) + " RTP sockets");
      }
      auto fd = open_udp_socket(static_cast<std::uint16_t>(port), buffer_bytes);
      if (fd) {
        endpoint.fd = *fd;
        break;
      }
      if (fd.error().find("Address already in use") == std::string::npos) {
        return base::unexpected(fd.error());
      }
    }
    endpoint.port = static_cast<std::uint16_t>(port);
    endpoint.id = static_cast<std::uint32_t>(i);
    endpoint.tx.ssrc = static_cast<std::uint32_t>(random());
    endpoint.tx.sequence = static_cast<std::uint16_t>(random());
    endpoint.tx.timestamp = static_cast<std::uint32_t>(random());
    set->by_port_[endpoint.port] = i;
    port += 2;
  }
  return set;
}

const Endpoint* EndpointSet::by_port(std::uint16_t port) const {
  const auto found = by_port_.find(port);
  return found == by_port_.end() ? nullptr : &endpoints_[found->second];
}

}  // namespace kolokol::rtpload
