#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace kolokol::media {

struct MediaEngineConfig {
  // Where RTP sockets are bound. "::" (the default): every address, IPv4 and IPv6 (IPv4 only
  // on a host without IPv6); "0.0.0.0": every IPv4 address.
  std::string bind_address = "::";
  // The address written into SDP. Empty: the bound address when it is specific, else the local
  // address the kernel would use to reach the peer (asked per call leg).
  std::string advertised_address;
  // Even ports for RTP, the odd port above each for RTCP: (max - min) / 2 relay sides.
  std::uint16_t port_min = 10000;
  std::uint16_t port_max = 20000;
  unsigned workers = 0;  // 0: one per two CPU cores, at least one
  // A leg that should be sending and has sent nothing for this long ends the call (0: never).
  std::chrono::milliseconds rtp_timeout{std::chrono::seconds(60)};
  // Receive and send buffers per RTP socket.
  int socket_buffer_bytes = 256 * 1024;
  // Also detect DTMF tones in the audio of every call (a decode per packet); RFC 4733 events
  // are always detected.
  bool inband_dtmf = false;
};

}  // namespace kolokol::media
