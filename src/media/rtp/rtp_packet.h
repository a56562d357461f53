#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/expected.h"

namespace kolokol::media {

// The fixed RTP header and what follows it (RFC 3550 5.1), read in place: the views point into
// the datagram, which must outlive the packet. Every length is checked against the datagram
// before anything is read, so a hostile or truncated packet is refused, never over-read.
struct RtpHeaderExtension {
  std::uint16_t profile = 0;           // "defined by profile" (0xBEDE: RFC 8285 one-byte)
  std::span<const std::uint8_t> data;  // 32-bit words, without the 4-byte extension header
};

struct RtpPacket {
  static constexpr std::size_t kFixedHeaderSize = 12;
  static constexpr std::size_t kMaxCsrcs = 15;

  bool marker = false;
  std::uint8_t payload_type = 0;  // 7 bits
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::uint8_t csrc_count = 0;
  std::array<std::uint32_t, kMaxCsrcs> csrcs{};
  std::optional<RtpHeaderExtension> extension;
  std::span<const std::uint8_t> payload;  // padding removed
  std::uint8_t padding = 0;               // bytes of padding the packet carried (0: none)
};

enum class RtpError : std::uint8_t {
  TooShort,    // under 12 bytes, or shorter than its CSRC list / extension says
  BadVersion,  // not version 2
  BadPadding,  // padding count 0 or larger than what follows the header
  NotRtp,      // second byte 192-223: RTCP (RFC 5761 4); RTP never uses those payload types
};
std::string_view rtp_error_name(RtpError error);

// RFC 5761 section 4: on a port carrying both, RTCP packet types 192-223 occupy the byte where
// RTP has marker + payload type; RTP payload types 64-95 are therefore never used with rtcp-mux.
bool looks_like_rtcp(std::span<const std::uint8_t> datagram);

base::Expected<RtpPacket, RtpError> parse_rtp(std::span<const std::uint8_t> datagram);

// Bytes serialize_rtp() writes for the packet (header, CSRCs, extension, payload; no padding).
std::size_t serialized_rtp_size(const RtpPacket& packet);
// Writes the packet into `out` (at least serialized_rtp_size() bytes); returns the size written,
// or 0 when `out` is too small or the packet is not representable (more than 15 CSRCs, a payload
// type over 127, an extension that is not whole 32-bit words or over 65,535 of them).
std::size_t serialize_rtp(const RtpPacket& packet, std::span<std::uint8_t> out);

}  // namespace kolokol::media
