#pragma once

#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "base/expected.h"
#include "rtp_endpoint.h"

namespace kolokol::rtpload {

// A non-blocking UDP socket on 127.0.0.1 with enlarged buffers. port 0: any free port.
base::Expected<int, std::string> open_udp_socket(std::uint16_t port, int buffer_bytes);
std::uint16_t local_port(int fd);
sockaddr_in loopback_address(std::uint16_t port);
base::Expected<sockaddr_in, std::string> parse_host_port(const std::string& text);

// Soft RLIMIT_NOFILE raised to at least `needed` (up to the hard limit).
base::Expected<std::size_t, std::string> raise_open_file_limit(std::size_t needed);

// The host's UDP counters (/proc/net/snmp "Udp:" row) by name: RcvbufErrors says a socket's
// receive buffer overflowed somewhere on this host (ours or the PBX's), which tells loss in
// the kernel apart from loss in a relay.
std::map<std::string, std::uint64_t> kernel_udp_counters();

// Every RTP port of the run, on even ports from port_base up (RTCP's odd neighbours left free),
// skipping ports that are taken. Closes the sockets when destroyed.
class EndpointSet {
 public:
  static base::Expected<std::unique_ptr<EndpointSet>, std::string> open(std::size_t count,
                                                                        std::uint16_t port_base,
                                                                        int buffer_bytes);
  ~EndpointSet();
  EndpointSet(const EndpointSet&) = delete;
  EndpointSet& operator=(const EndpointSet&) = delete;

  std::size_t size() const { return count_; }
  Endpoint& operator[](std::size_t index) { return endpoints_[index]; }
  const Endpoint& operator[](std::size_t index) const { return endpoints_[index]; }
  // The endpoint bound to that local port, if it is one of ours.
  const Endpoint* by_port(std::uint16_t port) const;

 private:
  explicit EndpointSet(std::size_t count);

  std::size_t count_;
  std::unique_ptr<Endpoint[]> endpoints_;  // atomics: neither movable nor copyable
  std::map<std::uint16_t, std::size_t> by_port_;
};

}  // namespace kolokol::rtpload
