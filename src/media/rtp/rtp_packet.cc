#include "media/rtp/rtp_packet.h"

#include <algorithm>

namespace kolokol::media {
namespace {

std::uint16_t read16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

std::uint32_t read32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

void write16(std::uint8_t* p, std::uint16_t value) {
  p[0] = static_cast<std::uint8_t>(value >> 8);
  p[1] = static_cast<std::uint8_t>(value);
}

void write32(std::uint8_t* p, std::uint32_t value) {
  p[0] = static_cast<std::uint8_t>(value >> 24);
  p[1] = static_cast<std::uint8_t>(value >> 16);
  p[2] = static_cast<std::uint8_t>(value >> 8);
  p[3] = static_cast<std::uint8_t>(value);
}

}  // namespace

std::string_view rtp_error_name(RtpError error) {
  switch (error) {
    case RtpError::TooShort:
      return "too short";
    case RtpError::BadVersion:
      return "not RTP version 2";
    case RtpError::BadPadding:
      return "bad padding";
    case RtpError::NotRtp:
      return "RTCP, not RTP";
  }
  return "unknown";
}

bool looks_like_rtcp(std::span<const std::uint8_t> datagram) {
  return datagram.size() >= 2 && datagram[1] >= 192 && datagram[1] <= 223;
}

base::Expected<RtpPacket, RtpError> parse_rtp(std::span<const std::uint8_t> datagram) {
  if (datagram.size() < RtpPacket::kFixedHeaderSize) return base::unexpected(RtpError::TooShort);
  const std::uint8_t* bytes = datagram.data();
  if ((bytes[0] >> 6) != 2) return base::unexpected(RtpError::BadVersion);
  if (looks_like_rtcp(datagram)) return base::unexpected(RtpError::NotRtp);

  RtpPacket packet;
  const bool has_padding = (bytes[0] & 0x20) != 0;
  const bool has_extension = (bytes[0] & 0x10) != 0;
  packet.csrc_count = bytes[0] & 0x0f;
  packet.marker = (bytes[1] & 0x80) != 0;
  packet.payload_type = bytes[1] & 0x7f;
  packet.sequence = read16(bytes + 2);
  packet.timestamp = read32(bytes + 4);
  packet.ssrc = read32(bytes + 8);

  std::size_t offset = RtpPacket::kFixedHeaderSize;
  if (datagram.size() < offset + 4u * packet.csrc_count) {
    return base::unexpected(RtpError::TooShort);
  }
  for (std::uint8_t i = 0; i < packet.csrc_count; ++i, offset += 4) {
    packet.csrcs[i] = read32(bytes + offset);
  }
  if (has_extension) {
    if (datagram.size() < offset + 4) return base::unexpected(RtpError::TooShort);
    RtpHeaderExtension extension;
    extension.profile = read16(bytes + offset);
    const std::size_t length = 4u * read16(bytes + offset + 2);
    offset += 4;
    if (datagram.size() < offset + length) return base::unexpected(RtpError::TooShort);
    extension.data = datagram.subspan(offset, length);
    offset += length;
    packet.extension = extension;
  }
  std::size_t end = datagram.size();
  if (has_padding) {
    // The last byte counts the padding, itself included (RFC 3550 5.1).
    const std::uint8_t padding = bytes[end - 1];
    if (padding == 0 || padding > end - offset) return base::unexpected(RtpError::BadPadding);
    packet.padding = padding;
    end -= padding;
  }
  packet.payload = datagram.subspan(offset, end - offset);
  return packet;
}

std::size_t serialized_rtp_size(const RtpPacket& packet) {
  std::size_t size = RtpPacket::kFixedHeaderSize + 4u * packet.csrc_count + packet.payload.size();
  if (packet.extension) size += 4 + packet.extension->data.size();
  return size;
}

std::size_t serialize_rtp(const RtpPacket& packet, std::span<std::uint8_t> out) {
  if (packet.csrc_count > RtpPacket::kMaxCsrcs || packet.payload_type > 127) return 0;
  if (packet.extension &&
      (packet.extension->data.size() % 4 != 0 || packet.extension->data.size() / 4 > 0xffff)) {
    return 0;
  }
  const std::size_t size = serialized_rtp_size(packet);
  if (out.size() < size) return 0;
  std::uint8_t* bytes = out.data();
  bytes[0] = static_cast<std::uint8_t>(0x80 | (packet.extension ? 0x10 : 0) | packet.csrc_count);
  bytes[1] = static_cast<std::uint8_t>((packet.marker ? 0x80 : 0) | packet.payload_type);
  write16(bytes + 2, packet.sequence);
  write32(bytes + 4, packet.timestamp);
  write32(bytes + 8, packet.ssrc);
  std::size_t offset = RtpPacket::kFixedHeaderSize;
  for (std::uint8_t i = 0; i < packet.csrc_count; ++i, offset += 4) {
    write32(bytes + offset, packet.csrcs[i]);
  }
  if (packet.extension) {
    write16(bytes + offset, packet.extension->profile);
    write16(bytes + offset + 2, static_cast<std::uint16_t>(packet.extension->data.size() / 4));
    offset += 4;
    std::copy(packet.extension->data.begin(), packet.extension->data.end(), bytes + offset);
    offset += packet.extension->data.size();
  }
  std::copy(packet.payload.begin(), packet.payload.end(), bytes + offset);
  return size;
}

}  // namespace kolokol::media
