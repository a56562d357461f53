#include "media/rtp/rtp_packet.h"

#include <gtest/gtest.h>

#include <vector>

namespace kolokol::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A PCMU packet: version 2, PT 0, sequence 0x1234, timestamp 0x00010203, SSRC 0xdeadbeef.
Bytes basic_packet(Bytes payload = {0xff, 0xfe, 0x7f}) {
  Bytes out = {0x80, 0x00, 0x12, 0x34, 0x00, 0x01, 0x02, 0x03, 0xde, 0xad, 0xbe, 0xef};
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

TEST(RtpPacket, ReadsTheFixedHeaderAndPayload) {
  const Bytes bytes = basic_packet();
  auto packet = parse_rtp(bytes);
  ASSERT_TRUE(packet) << rtp_error_name(packet.error());
  EXPECT_FALSE(packet->marker);
  EXPECT_EQ(packet->payload_type, 0);
  EXPECT_EQ(packet->sequence, 0x1234);
  EXPECT_EQ(packet->timestamp, 0x00010203u);
  EXPECT_EQ(packet->ssrc, 0xdeadbeefu);
  EXPECT_EQ(packet->csrc_count, 0);
  EXPECT_FALSE(packet->extension);
  EXPECT_EQ(Bytes(packet->payload.begin(), packet->payload.end()), (Bytes{0xff, 0xfe, 0x7f}));
}

TEST(RtpPacket, MarkerCsrcsExtensionAndPaddingTogether) {
  Bytes bytes = {0xb2, 0xe5, 0x00, 0x01, 0,    0,    0,    160,
                 0,    0,    0,    9,                             // V=2 P X CC=2, M PT=101
                 0,    0,    0,    1,    0,    0,    0,    2,     // CSRCs 1 and 2
                 0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0x00, 0x00,  // one-byte extension, 1 word
                 0x05, 0x0a, 0x00, 0xa0,                          // RFC 4733 event payload
                 0x00, 0x00, 0x03};                               // 3 bytes of padding
  auto packet = parse_rtp(bytes);
  ASSERT_TRUE(packet) << rtp_error_name(packet.error());
  EXPECT_TRUE(packet->marker);
  EXPECT_EQ(packet->payload_type, 101);
  ASSERT_EQ(packet->csrc_count, 2);
  EXPECT_EQ(packet->csrcs[0], 1u);
  EXPECT_EQ(packet->csrcs[1], 2u);
  ASSERT_TRUE(packet->extension);
  EXPECT_EQ(packet->extension->profile, 0xbede);
  EXPECT_EQ(packet->extension->data.size(), 4u);
  EXPECT_EQ(packet->padding, 3);
  EXPECT_EQ(Bytes(packet->payload.begin(), packet->payload.end()), (Bytes{0x05, 0x0a, 0x00, 0xa0}));

  // Written back: the same bytes without the padding (and without the P bit).
  Bytes out(serialized_rtp_size(*packet));
  ASSERT_EQ(serialize_rtp(*packet, out), out.size());
  Bytes expected(bytes.begin(), bytes.end() - 3);
  expected[0] &= static_cast<std::uint8_t>(~0x20);
  EXPECT_EQ(out, expected);
}

TEST(RtpPacket, RefusesWhatIsNotWholeRtp) {
  EXPECT_EQ(parse_rtp(Bytes(11, 0x80)).error(), RtpError::TooShort);
  Bytes v1 = basic_packet();
  v1[0] = 0x40;
  EXPECT_EQ(parse_rtp(v1).error(), RtpError::BadVersion);
  Bytes csrcs = basic_packet({});
  csrcs[0] = 0x8f;  // 15 CSRCs announced, none there
  EXPECT_EQ(parse_rtp(csrcs).error(), RtpError::TooShort);
  Bytes extension = basic_packet({0x12, 0x34, 0xff, 0xff});  // 65,535 words announced
  extension[0] = 0x90;
  EXPECT_EQ(parse_rtp(extension).error(), RtpError::TooShort);
  Bytes no_room = basic_packet({0x12, 0x34});  // extension header cut short
  no_room[0] = 0x90;
  EXPECT_EQ(parse_rtp(no_room).error(), RtpError::TooShort);
  Bytes zero_padding = basic_packet({0x01, 0x00});
  zero_padding[0] = 0xa0;
  EXPECT_EQ(parse_rtp(zero_padding).error(), RtpError::BadPadding);
  Bytes long_padding = basic_packet({0x01, 0x09});  // 9 bytes of padding in a 2-byte payload
  long_padding[0] = 0xa0;
  EXPECT_EQ(parse_rtp(long_padding).error(), RtpError::BadPadding);
  Bytes all_padding = basic_packet({0x00, 0x02});  // padding may fill the whole payload
  all_padding[0] = 0xa0;
  ASSERT_TRUE(parse_rtp(all_padding));
  EXPECT_TRUE(parse_rtp(all_padding)->payload.empty());
}

TEST(RtpPacket, RtcpOnAMuxedPortIsToldApart) {
  // A receiver report header: V=2, RC=0, PT=201.
  const Bytes rtcp = {0x80, 201, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0};
  EXPECT_TRUE(looks_like_rtcp(rtcp));
  EXPECT_EQ(parse_rtp(rtcp).error(), RtpError::NotRtp);
  Bytes marked = basic_packet();
  marked[1] = 0x80 | 96;  // marker with dynamic PT 96: byte 224, RTP
  EXPECT_FALSE(looks_like_rtcp(marked));
  EXPECT_TRUE(parse_rtp(marked));
}

TEST(RtpPacket, SerializeRefusesWhatTheWireCannotCarry) {
  const Bytes payload = {1, 2, 3};
  RtpPacket packet;
  packet.payload_type = 8;
  packet.sequence = 65535;
  packet.payload = payload;
  Bytes out(serialized_rtp_size(packet));
  EXPECT_EQ(serialize_rtp(packet, out), 15u);
  EXPECT_EQ(serialize_rtp(packet, std::span<std::uint8_t>(out).first(14)), 0u);  // too small
  packet.payload_type = 128;
  EXPECT_EQ(serialize_rtp(packet, out), 0u);
  packet.payload_type = 8;
  const Bytes odd = {1, 2, 3};
  packet.extension = RtpHeaderExtension{0xbede, odd};  // not whole words
  out.resize(serialized_rtp_size(packet));
  EXPECT_EQ(serialize_rtp(packet, out), 0u);
}

}  // namespace
}  // namespace kolokol::media
