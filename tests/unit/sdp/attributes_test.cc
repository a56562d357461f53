#include "sdp/attributes.h"

#include <gtest/gtest.h>

#include "sdp/codec.h"

namespace kolokol::sdp {
namespace {

TEST(SdpRtpmap, ParsesAndFormats) {
  EXPECT_EQ(parse_rtpmap("0 PCMU/8000"), (Rtpmap{0, "PCMU", 8000, std::nullopt}));
  EXPECT_EQ(parse_rtpmap("111 opus/48000/2"), (Rtpmap{111, "opus", 48000, 2}));
  EXPECT_EQ(to_string(Rtpmap{111, "opus", 48000, 2}), "111 opus/48000/2");
  EXPECT_FALSE(parse_rtpmap("128 X/8000"));
  EXPECT_FALSE(parse_rtpmap("96 X"));
  EXPECT_FALSE(parse_rtpmap("96 /8000"));
  EXPECT_FALSE(parse_rtpmap("96 X/rate"));
  EXPECT_FALSE(parse_rtpmap("96 X/8000/"));
  EXPECT_FALSE(parse_rtpmap(""));
}

TEST(SdpFmtp, SplitsFormatAndParameters) {
  EXPECT_EQ(parse_fmtp("101 0-16"), (Fmtp{"101", "0-16"}));
  EXPECT_EQ(parse_fmtp("97  mode=20 "), (Fmtp{"97", "mode=20"}));
  EXPECT_EQ(parse_fmtp("97"), (Fmtp{"97", ""}));
}

TEST(SdpDirection, RulesOfRfc3264) {
  EXPECT_EQ(reversed(Direction::SendOnly), Direction::RecvOnly);
  EXPECT_EQ(reversed(Direction::RecvOnly), Direction::SendOnly);
  EXPECT_EQ(reversed(Direction::Inactive), Direction::Inactive);
  EXPECT_EQ(reversed(Direction::SendRecv), Direction::SendRecv);
  EXPECT_EQ(direction_from_string("SENDONLY"), Direction::SendOnly);
  EXPECT_FALSE(direction_from_string("sendrcv"));
}

TEST(SdpDirection, MediaOverridesSessionAndZeroAddressMeansHold) {
  SessionDescription sdp;
  sdp.connection = Connection{"IN", "IP4", "192.0.2.1", {}, {}};
  sdp.attributes = {{"recvonly", std::nullopt}};
  MediaDescription m;
  m.port = 4000;
  EXPECT_EQ(direction_of(sdp, m), Direction::RecvOnly);
  m.attributes = {{"sendonly", std::nullopt}, {"inactive", std::nullopt}};
  EXPECT_EQ(direction_of(sdp, m), Direction::Inactive);  // the last one wins
  m.attributes.clear();
  sdp.attributes.clear();
  sdp.connection->address = "0.0.0.0";
  EXPECT_EQ(direction_of(sdp, m), Direction::SendRecv);
  EXPECT_EQ(effective_direction(sdp, m), Direction::SendOnly);
  sdp.connection = Connection{"IN", "IP6", "::", {}, {}};
  EXPECT_EQ(effective_direction(sdp, m), Direction::SendOnly);
  m.attributes = {{"ice-ufrag", "abcd"}};
  EXPECT_EQ(effective_direction(sdp, m), Direction::SendRecv);
}

TEST(SdpDirection, SetDirectionReplacesAndAvoidsRedundantSendrecv) {
  SessionDescription sdp;
  MediaDescription m;
  m.attributes = {{"rtpmap", "0 PCMU/8000"}, {"sendonly", std::nullopt}};
  set_direction(sdp, m, Direction::SendRecv);
  EXPECT_EQ(m.attributes, (Attributes{{"rtpmap", "0 PCMU/8000"}}));
  set_direction(sdp, m, Direction::SendRecv, true);
  EXPECT_EQ(m.attributes.back(), (Attribute{"sendrecv", std::nullopt}));
  set_direction(sdp, m, Direction::Inactive);
  EXPECT_EQ(direction_attribute(m.attributes), Direction::Inactive);
  EXPECT_EQ(m.attributes.size(), 2u);
  // A session-level direction forces an explicit media-level sendrecv.
  sdp.attributes = {{"sendonly", std::nullopt}};
  set_direction(sdp, m, Direction::SendRecv);
  EXPECT_EQ(direction_of(sdp, m), Direction::SendRecv);
}

TEST(SdpRtcp, PortAndOptionalAddress) {
  EXPECT_EQ(parse_rtcp("53020"), (Rtcp{53020, std::nullopt}));
  EXPECT_EQ(parse_rtcp("53020 IN IP6 2001:db8::1"),
            (Rtcp{53020, Connection{"IN", "IP6", "2001:db8::1", {}, {}}}));
  EXPECT_FALSE(parse_rtcp("x"));
  EXPECT_FALSE(parse_rtcp("53020 IN IP4"));
  MediaDescription m;
  m.attributes = {{"rtcp-mux", std::nullopt}, {"rtcp", "9"}};
  EXPECT_TRUE(rtcp_mux(m));
  EXPECT_EQ(rtcp(m)->port, 9);
}

TEST(SdpCrypto, ParsesRfc4568Syntax) {
  const auto c = parse_crypto(
      "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4;"
      "inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->key_params.size(), 2u);
  EXPECT_EQ(c->session_params, (std::vector<std::string>{"FEC_ORDER=FEC_SRTP"}));
  EXPECT_EQ(parse_crypto(to_string(*c)), c);
  EXPECT_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80"));
  EXPECT_FALSE(parse_crypto("x AES_CM_128_HMAC_SHA1_80 inline:abc"));
  EXPECT_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 nokeymethod"));
}

TEST(SdpGroup, BundleAndMid) {
  EXPECT_EQ(parse_group("BUNDLE a v"), (Group{"BUNDLE", {"a", "v"}}));
  EXPECT_EQ(parse_group("LS"), (Group{"LS", {}}));
  EXPECT_FALSE(parse_group(""));
}

TEST(SdpCodec, StaticTableAndMatching) {
  EXPECT_EQ(static_codec(0), (Codec{0, "PCMU", 8000, 1, ""}));
  EXPECT_EQ(static_codec(9)->clock_rate, 8000u);  // G722's historical RTP clock rate
  EXPECT_EQ(static_codec(10)->channels, 2u);
  EXPECT_FALSE(static_codec(1));
  EXPECT_FALSE(static_codec(96));
  EXPECT_TRUE(same_format(Codec{97, "ILBC", 8000, 1, ""}, Codec{99, "iLBC", 8000, 1, "mode=30"}));
  EXPECT_FALSE(same_format(Codec{96, "opus", 48000, 2, ""}, Codec{96, "opus", 48000, 1, ""}));
  EXPECT_TRUE(is_auxiliary(Codec{13, "CN", 8000, 1, ""}));
  EXPECT_FALSE(is_auxiliary(Codec{0, "PCMU", 8000, 1, ""}));
}

TEST(SdpCodec, CodecsOfSkipsUnknownAndDuplicateFormats) {
  MediaDescription m;
  m.formats = {"0", "96", "96", "t38", "200", "97"};
  m.attributes = {{"rtpmap", "97 speex/16000"}, {"rtpmap", "97 other/8000"}};
  const auto codecs = codecs_of(m);
  ASSERT_EQ(codecs.size(), 2u);
  EXPECT_EQ(codecs[0].encoding_name, "PCMU");
  EXPECT_EQ(codecs[1], (Codec{97, "speex", 16000, 1, ""}));  // first rtpmap wins
}

TEST(SdpCodec, AddCodecWritesRtpmapAndFmtp) {
  MediaDescription m;
  add_codec(m, Codec{111, "opus", 48000, 2, "useinbandfec=1"});
  add_codec(m, Codec{0, "PCMU", 8000, 1, ""});
  EXPECT_EQ(m.formats, (std::vector<std::string>{"111", "0"}));
  EXPECT_EQ(m.attributes, (Attributes{{"rtpmap", "111 opus/48000/2"},
                                      {"fmtp", "111 useinbandfec=1"},
                                      {"rtpmap", "0 PCMU/8000"}}));
  EXPECT_EQ(codecs_of(m)[0], (Codec{111, "opus", 48000, 2, "useinbandfec=1"}));
}

}  // namespace
}  // namespace kolokol::sdp
