#include "sdp/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "sdp/attributes.h"
#include "sdp/codec.h"
#include "unit/sdp/fixtures.h"

namespace kolokol::sdp {
namespace {

using fixtures::crlf;

SessionDescription parse_ok(std::string_view text) {
  auto parsed = parse(text);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().reason);
  return parsed ? *parsed : SessionDescription{};
}

ParseError parse_error(std::string_view text) {
  auto parsed = parse(text);
  EXPECT_FALSE(parsed.has_value()) << "parsed although it should not:\n" << text;
  return parsed ? ParseError{} : parsed.error();
}

TEST(SdpParser, Asterisk) {
  const SessionDescription sdp = parse_ok(crlf(fixtures::kAsterisk));
  EXPECT_EQ(sdp.origin.username, "-");
  EXPECT_EQ(sdp.origin.session_id, "1234567890");
  EXPECT_EQ(sdp.origin.session_version, 1234567892u);
  EXPECT_EQ(sdp.origin.address, "192.0.2.10");
  EXPECT_EQ(sdp.name, "Asterisk");
  ASSERT_TRUE(sdp.connection);
  EXPECT_EQ(sdp.connection->address, "192.0.2.10");
  ASSERT_EQ(sdp.timings.size(), 1u);
  EXPECT_EQ(sdp.timings[0].start, 0u);
  ASSERT_EQ(sdp.media.size(), 1u);
  const MediaDescription& audio = sdp.media[0];
  EXPECT_EQ(audio.media, "audio");
  EXPECT_EQ(audio.port, 10024);
  EXPECT_EQ(audio.proto, "RTP/AVP");
  EXPECT_EQ(audio.formats, (std::vector<std::string>{"0", "8", "9", "101"}));
  EXPECT_EQ(audio.attributes.size(), 8u);
  EXPECT_EQ(ptime(audio), 20u);
  EXPECT_EQ(maxptime(audio), 150u);
  EXPECT_EQ(direction_of(sdp, audio), Direction::SendRecv);
  EXPECT_EQ(fmtp_for(audio, "101"), "0-16");
  const auto codecs = codecs_of(audio);
  ASSERT_EQ(codecs.size(), 4u);
  EXPECT_EQ(codecs[2].encoding_name, "G722");
  EXPECT_EQ(codecs[3], Codec::telephone_event(101, 8000, "0-16"));
}

TEST(SdpParser, FreeSwitchStaticPayloadTypesAndRtcp) {
  const SessionDescription sdp = parse_ok(crlf(fixtures::kFreeSwitch));
  const MediaDescription& audio = sdp.media.at(0);
  const auto codecs = codecs_of(audio);
  ASSERT_EQ(codecs.size(), 6u);
  EXPECT_EQ(codecs[0].encoding_name, "G722");  // static, no rtpmap
  EXPECT_EQ(codecs[1].encoding_name, "PCMU");
  EXPECT_EQ(codecs[3].encoding_name, "opus");
  EXPECT_EQ(codecs[3].clock_rate, 48000u);
  EXPECT_EQ(codecs[3].channels, 2u);
  EXPECT_EQ(codecs[3].fmtp, "useinbandfec=1; maxplaybackrate=48000; stereo=0");
  EXPECT_TRUE(is_auxiliary(codecs[5]));  // CN
  const auto r = rtcp(audio);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->port, 24581);
  ASSERT_TRUE(r->connection);
  EXPECT_EQ(r->connection->address, "198.51.100.5");
}

TEST(SdpParser, BaresipWithLfLineEnds) {
  const SessionDescription sdp = parse_ok(fixtures::kBaresipLf);
  EXPECT_EQ(sdp.attributes.at(0), (Attribute{"tool", "baresip 1.0.0"}));
  const MediaDescription& audio = sdp.media.at(0);
  EXPECT_EQ(audio.bandwidths, (std::vector<Bandwidth>{{"AS", 96}}));
  EXPECT_EQ(mid(audio), "1");
  EXPECT_EQ(audio.attributes.at(4), (Attribute{"rtcp-rsize", std::nullopt}));
  EXPECT_EQ(attribute_value(audio.attributes, "ssrc"), "1347826563 cname:sip:alice@127.0.0.1");
}

TEST(SdpParser, PolycomSessionLevelDirection) {
  const SessionDescription sdp = parse_ok(crlf(fixtures::kPolycom));
  EXPECT_EQ(sdp.attributes, (Attributes{{"sendrecv", std::nullopt}}));
  const MediaDescription& audio = sdp.media.at(0);
  EXPECT_EQ(direction_of(sdp, audio), Direction::SendRecv);
  const auto codecs = codecs_of(audio);
  ASSERT_EQ(codecs.size(), 6u);
  EXPECT_EQ(codecs[1], (Codec{102, "G7221", 16000, 1, "bitrate=32000"}));
  EXPECT_EQ(codecs[4], (Codec{18, "G729", 8000, 1, "annexb=no"}));
  EXPECT_TRUE(is_telephone_event(codecs[5]));
}

TEST(SdpParser, YealinkSrtpCrypto) {
  const SessionDescription sdp = parse_ok(crlf(fixtures::kYealinkSrtp));
  const MediaDescription& audio = sdp.media.at(0);
  EXPECT_EQ(audio.proto, "RTP/SAVP");
  const auto c = cryptos(audio);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].tag, 1u);
  EXPECT_EQ(c[0].suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(c[0].key_params,
            (std::vector<std::string>{"inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4"}));
  EXPECT_TRUE(c[0].session_params.empty());
  EXPECT_EQ(c[1].session_params, (std::vector<std::string>{"KDR=1", "UNENCRYPTED_SRTCP"}));
  EXPECT_EQ(*parse_crypto(to_string(c[1])), c[1]);
  // fmtp before its rtpmap is still tied to the format.
  EXPECT_EQ(codecs_of(audio).back(), Codec::telephone_event(101, 8000, "0-15"));
}

TEST(SdpParser, WebRtcOffer) {
  const SessionDescription sdp = parse_ok(crlf(fixtures::kWebRtc));
  EXPECT_FALSE(sdp.connection);
  ASSERT_EQ(sdp.media.size(), 2u);
  EXPECT_EQ(groups(sdp), (std::vector<Group>{{"BUNDLE", {"0", "1"}}}));
  EXPECT_EQ(attribute_value(sdp.attributes, "msid-semantic"), " WMS stream1");
  const MediaDescription& audio = sdp.media[0];
  EXPECT_EQ(audio.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(mid(audio), "0");
  EXPECT_TRUE(rtcp_mux(audio));
  EXPECT_EQ(attribute_value(audio.attributes, "setup"), "actpass");
  EXPECT_EQ(attribute_value(audio.attributes, "fingerprint")->substr(0, 10), "sha-256 49");
  ASSERT_EQ(sdp.connection_for(audio)->address, "0.0.0.0");
  // With ICE, 0.0.0.0 is a placeholder, not the legacy hold.
  EXPECT_EQ(effective_direction(sdp, audio), Direction::SendRecv);
  EXPECT_EQ(codecs_of(audio).size(), 8u);
  EXPECT_EQ(codecs_of(sdp.media[1]).size(), 2u);
  EXPECT_EQ(mid(sdp.media[1]), "1");
}

TEST(SdpParser, Ipv6) {
  const SessionDescription sdp = parse_ok(crlf(fixtures::kIpv6));
  EXPECT_EQ(sdp.origin.addr_type, "IP6");
  ASSERT_TRUE(sdp.connection);
  EXPECT_TRUE(sdp.connection->is_ipv6());
  EXPECT_EQ(sdp.connection->address, "2001:db8::1");
  EXPECT_FALSE(sdp.connection->address_count);
}

TEST(SdpParser, AudioVideoAndRejectedStream) {
  const SessionDescription sdp = parse_ok(crlf(fixtures::kAudioVideoRejectedText));
  ASSERT_EQ(sdp.media.size(), 3u);
  EXPECT_FALSE(sdp.media[0].rejected());
  EXPECT_EQ(sdp.media[1].media, "video");
  EXPECT_EQ(sdp.media[1].bandwidths, (std::vector<Bandwidth>{{"TIAS", 1000000}}));
  EXPECT_EQ(codecs_of(sdp.media[1])[1].fmtp, "profile-level-id=42801F; packetization-mode=1");
  EXPECT_TRUE(sdp.media[2].rejected());
  EXPECT_EQ(sdp.media[2].media, "text");
  EXPECT_EQ(sdp.bandwidths, (std::vector<Bandwidth>{{"AS", 380}}));
}

TEST(SdpParser, AllLineTypes) {
  const SessionDescription sdp = parse_ok(crlf(fixtures::kAllLineTypes));
  EXPECT_EQ(sdp.information, "SDP Offer #1");
  EXPECT_EQ(sdp.uri, "http://www.jdoe.example.com/home.html");
  EXPECT_EQ(sdp.emails, (std::vector<std::string>{"Jane Doe <jane@jdoe.example.com>"}));
  EXPECT_EQ(sdp.phones, (std::vector<std::string>{"+1 617 555-6011"}));
  EXPECT_EQ(sdp.bandwidths, (std::vector<Bandwidth>{{"CT", 128}}));
  ASSERT_EQ(sdp.timings.size(), 2u);
  EXPECT_TRUE(sdp.timings[0].repeats.empty());
  EXPECT_EQ(sdp.timings[1].start, 3034423619u);
  ASSERT_EQ(sdp.timings[1].repeats.size(), 2u);
  EXPECT_EQ(sdp.timings[1].repeats[1], (RepeatTime{"7d", "1h", {"0", "25h"}}));
  EXPECT_EQ(sdp.timings[1].zone_adjustments,
            (std::vector<ZoneAdjustment>{{"2882844526", "-1h"}, {"2898848070", "0"}}));
  EXPECT_EQ(sdp.key, "clear:secret");
  EXPECT_EQ(direction_of(sdp, sdp.media[1]), Direction::RecvOnly);  // from the session
  ASSERT_EQ(sdp.media.size(), 3u);
  EXPECT_EQ(sdp.media[0].title, "voice");
  EXPECT_EQ(sdp.media[0].connections.at(0), (Connection{"IN", "IP4", "233.252.0.1", 127, 3}));
  EXPECT_TRUE(sdp.media[1].connections.empty());
  EXPECT_EQ(sdp.connection_for(sdp.media[1])->address, "198.51.100.1");
  EXPECT_EQ(sdp.media[2].port, 51372);
  EXPECT_EQ(sdp.media[2].port_count, 2);
  EXPECT_EQ(sdp.media[2].connections.at(0),
            (Connection{"IN", "IP6", "ff00::db8:0:101", std::nullopt, 3}));
  EXPECT_EQ(sdp.media[2].key, "prompt");
}

TEST(SdpParser, ToleratesSloppyButHarmlessInput) {
  // Blank lines, double spaces, trailing blanks on a=, session lines out of order, an empty
  // s=, no t=, no final line break, an m= line without formats.
  const SessionDescription sdp = parse_ok(
      "\r\nv=0\r\no=-  1 2  IN IP4 192.0.2.1\r\ns=\r\na=sendrecv  \r\nc=IN IP4 192.0.2.1\r\n\r\n"
      "m=audio  4000 RTP/AVP  0 8\r\na=ptime:20.0\r\nm=video 0 RTP/AVP");
  EXPECT_EQ(sdp.name, "");
  EXPECT_EQ(sdp.origin.session_version, 2u);
  EXPECT_EQ(sdp.attributes, (Attributes{{"sendrecv", std::nullopt}}));
  EXPECT_EQ(sdp.timings, std::vector<Timing>{Timing{}});
  EXPECT_EQ(sdp.media.at(0).formats, (std::vector<std::string>{"0", "8"}));
  EXPECT_EQ(ptime(sdp.media[0]), 20u);
  EXPECT_TRUE(sdp.media.at(1).formats.empty());
}

TEST(SdpParser, KeepsUnknownAttributesInOrder) {
  const SessionDescription sdp = parse_ok(
      "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
      "m=audio 4000 RTP/AVP 0\na=x-vendor:foo bar\na=rtpmap:0 PCMU/8000\na=x-flag\na=empty:\n");
  EXPECT_EQ(sdp.media[0].attributes, (Attributes{{"x-vendor", "foo bar"},
                                                 {"rtpmap", "0 PCMU/8000"},
                                                 {"x-flag", std::nullopt},
                                                 {"empty", ""}}));
}

struct Malformed {
  const char* name;
  std::string text;
  std::size_t line;
  const char* reason_part;
};

class SdpParserRejects : public testing::TestWithParam<Malformed> {};

constexpr const char* kHead =
    "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";

TEST_P(SdpParserRejects, WithAnErrorNamingTheLine) {
  const ParseError error = parse_error(GetParam().text);
  EXPECT_EQ(error.line, GetParam().line) << error.reason;
  EXPECT_NE(error.reason.find(GetParam().reason_part), std::string::npos) << error.reason;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, SdpParserRejects,
    testing::Values(
        Malformed{"Empty", "", 0, "no v= line"},
        Malformed{"MissingVersion", "o=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n", 1,
                  "must start with v=0"},
        Malformed{"WrongVersion", "v=1\r\n", 1, "unsupported SDP version"},
        Malformed{"NotSdp", "hello world\r\n", 1, "not a <type>=<value> line"},
        Malformed{"Json", "{\"v\":0}", 1, "not a <type>=<value> line"},
        Malformed{"SipMessage", "INVITE sip:bob@example.com SIP/2.0\r\n", 1,
                  "not a <type>=<value>"},
        Malformed{"MissingOrigin", "v=0\r\ns=-\r\nt=0 0\r\n", 0, "missing o= line"},
        Malformed{"ShortOrigin", "v=0\r\no=- 1 IN IP4 192.0.2.1\r\n", 2, "(o=): o= needs 6 fields"},
        Malformed{"OriginVersionNotNumber", "v=0\r\no=- 1 x IN IP4 192.0.2.1\r\n", 2,
                  "session version"},
        Malformed{"BadMediaLine", std::string(kHead) + "m=audio\r\n", 6, "(m=): m= needs"},
        Malformed{"NonNumericPort", std::string(kHead) + "m=audio abc RTP/AVP 0\r\n", 6,
                  "port is not a number"},
        Malformed{"PortTooLarge", std::string(kHead) + "m=audio 65536 RTP/AVP 0\r\n", 6,
                  "port is not a number"},
        Malformed{"NegativePort", std::string(kHead) + "m=audio -1 RTP/AVP 0\r\n", 6, "port"},
        Malformed{"BadPortCount", std::string(kHead) + "m=audio 4000/0 RTP/AVP 0\r\n", 6,
                  "number of ports"},
        Malformed{"BadConnection", "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nc=IN IP4\r\n", 3,
                  "c= needs 3 fields"},
        Malformed{"BadTtl", "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nc=IN IP4 233.252.0.1/x\r\n", 3,
                  "suffix"},
        Malformed{"TooManySuffixesIp6",
                  "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nc=IN IP6 ff00::1/1/2\r\n", 3, "suffixes"},
        Malformed{"BadBandwidth", std::string(kHead) + "b=AS:fast\r\n", 6, "not a number"},
        Malformed{"BadTiming", "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=now later\r\n", 3, "(t=)"},
        Malformed{"RepeatBeforeTiming", "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nr=7d 1h 0\r\n", 3,
                  "r= before any t="},
        Malformed{"BadZone", std::string(kHead) + "z=2882844526\r\n", 6, "pairs"},
        Malformed{"UnknownLineType", std::string(kHead) + "x=whatever\r\n", 6, "unknown line type"},
        Malformed{"UpperCaseType", std::string(kHead) + "A=sendrecv\r\n", 6, "unknown line type"},
        Malformed{"EmptyAttributeName", std::string(kHead) + "a=\r\n", 6, "bad attribute name"},
        Malformed{"AttributeNameWithSpace", std::string(kHead) + "a=send recv\r\n", 6,
                  "bad attribute name"},
        Malformed{
            "SessionLineInMedia",
            std::string(kHead) + "m=audio 4000 RTP/AVP 0\r\n" + "o=- 1 1 IN IP4 192.0.2.1\r\n", 7,
            "session-level line inside a media section"},
        Malformed{"DuplicateOrigin", std::string(kHead) + "o=- 1 1 IN IP4 192.0.2.1\r\n", 6,
                  "duplicate o="},
        Malformed{"DuplicateSessionName", std::string(kHead) + "s=again\r\n", 6, "duplicate s="},
        Malformed{"DuplicateSessionConnection", std::string(kHead) + "c=IN IP4 192.0.2.2\r\n", 6,
                  "duplicate session-level c="},
        Malformed{"NulByte", std::string(kHead) + std::string("a=x\0y\r\n", 7), 6, "NUL or CR"},
        Malformed{"StrayCarriageReturn", std::string(kHead) + "a=x\ry\r\n", 6, "NUL or CR"},
        Malformed{"BadProto", std::string(kHead) + "m=audio 4000 RTP//AVP 0\r\n", 6,
                  "transport protocol"}),
    [](const testing::TestParamInfo<Malformed>& info) { return std::string(info.param.name); });

TEST(SdpParserLimits, RejectsOversizedBody) {
  std::string body = std::string(kHead);
  while (body.size() <= 64 * 1024)
    body += "a=x-padding:0123456789012345678901234567890123456789\r\n";
  const ParseError error = parse_error(body);
  EXPECT_EQ(error.line, 0u);
  EXPECT_NE(error.reason.find("exceeds the limit"), std::string::npos) << error.reason;
}

TEST(SdpParserLimits, RejectsTooManyLines) {
  std::string body = std::string(kHead);
  for (int i = 0; i < 1000; ++i) body += "a=x\r\n";
  ASSERT_LT(body.size(), 64u * 1024);
  const ParseError error = parse_error(body);
  EXPECT_EQ(error.line, 0u);
  EXPECT_NE(error.reason.find("more than 1000 lines"), std::string::npos) << error.reason;
  // 1000 lines exactly are fine.
  body.resize(body.size() - 5 * 5);
  EXPECT_TRUE(parse(body).has_value());
}

TEST(SdpParserLimits, RejectsTooManyMediaSections) {
  std::string body = std::string(kHead);
  for (int i = 0; i < 128; ++i) body += "m=audio 0 RTP/AVP 0\r\n";
  EXPECT_EQ(parse_ok(body).media.size(), 128u);
  body += "m=audio 0 RTP/AVP 0\r\n";
  const ParseError error = parse_error(body);
  EXPECT_EQ(error.line, 6u + 128);
  EXPECT_NE(error.reason.find("more than 128 media sections"), std::string::npos);
}

TEST(SdpParserLimits, LimitsAreConfigurable) {
  ParseLimits limits;
  limits.max_media = 1;
  EXPECT_FALSE(parse(std::string(kHead) + "m=audio 0 RTP/AVP 0\r\nm=audio 0 RTP/AVP 0\r\n", limits)
                   .has_value());
}

}  // namespace
}  // namespace kolokol::sdp
