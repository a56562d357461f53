#include "media/rtp/rtcp_packet.h"

namespace kolokol::media {

namespace {

constexpr std::uint8_t kSenderReport = 200;
constexpr std::uint8_t kReceiverReport = 201;
constexpr std::uint8_t kBye = 203;
constexpr std::size_t kReportBlockSize = 24;
constexpr std::size_t kSenderInfoSize = 20;

std::uint32_t read32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}

void write32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

RtcpReportBlock read_block(const std::uint8_t* p) {
  RtcpReportBlock block;
  block.ssrc = read32(p);
  block.fraction_lost = p[4];
  std::uint32_t lost = (std::uint32_t{p[5]} << 16) | (std::uint32_t{p[6]} << 8) | p[7];
  if (lost & 0x800000) lost |= 0xFF000000;  // sign-extend the 24-bit field
  block.cumulative_lost = static_cast<std::int32_t>(lost);
  block.extended_highest_sequence = read32(p + 8);
  block.jitter = read32(p + 12);
  block.last_sr = read32(p + 16);
  block.delay_since_last_sr = read32(p + 20);
  return block;
}

}  // namespace

std::string_view rtcp_error_name(RtcpError error) {
  switch (error) {
    case RtcpError::TooShort:
      return "too short";
    case RtcpError::BadVersion:
      return "not RTCP version 2";
    case RtcpError::NotRtcp:
      return "does not start with a sender or receiver report";
    case RtcpError::BadLength:
      return "report count exceeds the packet length";
  }
  return "?";
}

base::Expected<RtcpCompound, RtcpError> parse_rtcp(std::span<const std::uint8_t> datagram) {
  RtcpCompound out;
  std::size_t offset = 0;
  bool first = true;
  while (offset < datagram.size()) {
    if (datagram.size() - offset < 4) return base::unexpected(RtcpError::TooShort);
    const std::uint8_t* header = datagram.data() + offset;
    if ((header[0] >> 6) != 2) return base::unexpected(RtcpError::BadVersion);
    const std::uint8_t count = header[0] & 0x1F;
    const std::uint8_t type = header[1];
    const std::size_t length = (std::size_t{header[2]} << 8 | header[3]) * 4 + 4;
    if (length > datagram.size() - offset) return base::unexpected(RtcpError::TooShort);
    if (first && type != kSenderReport && type != kReceiverReport) {
      return base::unexpected(RtcpError::NotRtcp);
    }
    if (type == kSenderReport || type == kReceiverReport) {
      const bool sender = type == kSenderReport;
      const std::size_t fixed = 8 + (sender ? kSenderInfoSize : 0);
      if (length < fixed + count * kReportBlockSize) return base::unexpected(RtcpError::BadLength);
      if (first) {
        out.sender_ssrc = read32(header + 4);
        if (sender) {
          RtcpSenderInfo info;
          info.ntp_timestamp = (std::uint64_t{read32(header + 8)} << 32) | read32(header + 12);
          info.rtp_timestamp = read32(header + 16);
          info.packet_count = read32(header + 20);
          info.octet_count = read32(header + 24);
          out.sender_info = info;
        }
      }
      for (std::size_t i = 0; i < count; ++i) {
        out.reports.push_back(read_block(header + fixed + i * kReportBlockSize));
      }
    } else if (type == kBye) {
      out.bye = true;
    }
    first = false;
    offset += length;
  }
  if (first) return base::unexpected(RtcpError::TooShort);
  return out;
}

std::size_t serialize_receiver_report(std::uint32_t sender_ssrc,
                                      std::span<const RtcpReportBlock> reports,
                                      std::span<std::uint8_t> out) {
  if (reports.size() > 31) return 0;
  const std::size_t size = 8 + reports.size() * kReportBlockSize;
  if (out.size() < size) return 0;
  std::uint8_t* p = out.data();
  p[0] = static_cast<std::uint8_t>(0x80 | reports.size());
  p[1] = kReceiverReport;
  const std::size_t words = size / 4 - 1;
  p[2] = static_cast<std::uint8_t>(words >> 8);
  p[3] = static_cast<std::uint8_t>(words);
  write32(p + 4, sender_ssrc);
  p += 8;
  for (const RtcpReportBlock& block : reports) {
    write32(p, block.ssrc);
    const std::uint32_t lost = static_cast<std::uint32_t>(block.cumulative_lost) & 0xFFFFFF;
    write32(p + 4, (std::uint32_t{block.fraction_lost} << 24) | lost);
    write32(p + 8, block.extended_highest_sequence);
    write32(p + 12, block.jitter);
    write32(p + 16, block.last_sr);
    write32(p + 20, block.delay_since_last_sr);
    p += kReportBlockSize;
  }
  return size;
}

}  // namespace kolokol::media
