#pragma once

#include <cstdint>
#include <mutex>
#include <optional>

#include "media/engine/udp_address.h"
#include "media/engine/unique_fd.h"

namespace kolokol::media {

// An RTP socket on an even port and its RTCP socket on the port above (RFC 3550 11).
struct RtpSocketPair {
  UniqueFd rtp;
  UniqueFd rtcp;
  std::uint16_t rtp_port = 0;
  int family = AF_INET;
};

// Binds socket pairs in a port range, walking the range round robin so that a port just
// released is not reused at once (late packets of the previous call would reach the new one).
// Ports in use by anyone (other programs included) are skipped by trying the bind. Called from
// signalling threads; the mutex only guards the cursor.
class PortAllocator {
 public:
  PortAllocator(UdpAddress bind_address, std::uint16_t port_min, std::uint16_t port_max,
                int socket_buffer_bytes);

  // nullopt when every pair of the range is taken.
  std::optional<RtpSocketPair> allocate();

  std::uint32_t pair_count() const { return pair_count_; }

 private:
  std::optional<RtpSocketPair> try_bind(std::uint16_t rtp_port) const;

  UdpAddress bind_address_;
  std::uint16_t first_port_;
  std::uint32_t pair_count_;
  int socket_buffer_bytes_;
  std::mutex mutex_;
  std::uint32_t cursor_ = 0;
};

}  // namespace kolokol::media
