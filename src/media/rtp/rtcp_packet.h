#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "base/expected.h"

namespace kolokol::media {

// What the PBX reads from the RTCP its peers send (RFC 3550 6.4, 6.6): the reception report
// blocks in which a peer says how much of our stream it lost and with what jitter, and whether it
// said goodbye. Other packet types (SDES, APP, RTPFB, ...) are stepped over by their length.
struct RtcpReportBlock {
  std::uint32_t ssrc = 0;            // the source this block reports on
  std::uint8_t fraction_lost = 0;    // since the previous report, in 1/256
  std::int32_t cumulative_lost = 0;  // 24-bit signed
  std::uint32_t extended_highest_sequence = 0;
  std::uint32_t jitter = 0;  // RTP timestamp units
  std::uint32_t last_sr = 0;
  std::uint32_t delay_since_last_sr = 0;  // 1/65536 s
};

struct RtcpSenderInfo {
  std::uint64_t ntp_timestamp = 0;
  std::uint32_t rtp_timestamp = 0;
  std::uint32_t packet_count = 0;
  std::uint32_t octet_count = 0;
};

struct RtcpCompound {
  std::uint32_t sender_ssrc = 0;  // of the first SR or RR
  std::optional<RtcpSenderInfo> sender_info;
  std::vector<RtcpReportBlock> reports;
  bool bye = false;
};

enum class RtcpError : std::uint8_t {
  TooShort,    // under one 4-byte header, or a packet longer than what is left
  BadVersion,  // not version 2
  NotRtcp,     // first packet type is not SR or RR (RFC 3550 6.1: a compound starts with one)
  BadLength,   // SR/RR shorter than its report count says
};
std::string_view rtcp_error_name(RtcpError error);

base::Expected<RtcpCompound, RtcpError> parse_rtcp(std::span<const std::uint8_t> datagram);

// A receiver report (RFC 3550 6.4.2) from `sender_ssrc` with the given blocks (at most 31);
// returns bytes written into `out`, 0 when it does not fit.
std::size_t serialize_receiver_report(std::uint32_t sender_ssrc,
                                      std::span<const RtcpReportBlock> reports,
                                      std::span<std::uint8_t> out);

}  // namespace kolokol::media
