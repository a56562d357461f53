#include <gtest/gtest.h>

#include <string>

#include "sdp/parser.h"
#include "sdp/serializer.h"
#include "unit/sdp/fixtures.h"

namespace kolokol::sdp {
namespace {

using fixtures::crlf;

class SdpRoundTrip : public testing::TestWithParam<std::string_view> {};

TEST_P(SdpRoundTrip, ParseOfSerializeIsIdentity) {
  auto first = parse(GetParam());
  ASSERT_TRUE(first.has_value()) << first.error().reason;
  const std::string text = serialize(*first);
  auto second = parse(text);
  ASSERT_TRUE(second.has_value()) << second.error().reason << "\n" << text;
  EXPECT_EQ(*second, *first) << text;
  EXPECT_EQ(serialize(*second), text);  // serialization is stable
  // Every line ends in CRLF and there is no bare LF.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ASSERT_TRUE(i > 0 && text[i - 1] == '\r') << "bare LF at " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SdpRoundTrip,
                         testing::Values(fixtures::kAsterisk, fixtures::kFreeSwitch,
                                         fixtures::kBaresipLf, fixtures::kPolycom,
                                         fixtures::kYealinkSrtp, fixtures::kWebRtc, fixtures::kIpv6,
                                         fixtures::kAudioVideoRejectedText,
                                         fixtures::kAllLineTypes));

TEST(SdpSerializer, CanonicalInputComesBackByteForByte) {
  for (std::string_view fixture :
       {fixtures::kAsterisk, fixtures::kFreeSwitch, fixtures::kBaresipLf, fixtures::kPolycom,
        fixtures::kYealinkSrtp, fixtures::kWebRtc, fixtures::kAllLineTypes}) {
    const std::string body = crlf(fixture);
    auto parsed = parse(body);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(serialize(*parsed), body);
  }
}

TEST(SdpSerializer, WritesTheCanonicalOrderOfRfc8866) {
  // Session lines in a scrambled order come out as v o s i u e p c b t r z k a, media m i c b k a.
  auto parsed = parse(
      "v=0\na=tool:x\nk=prompt\nt=0 0\nr=7d 1h 0\nb=AS:64\nc=IN IP4 192.0.2.1\np=+1 555\n"
      "e=a@example.com\nu=http://example.com\ni=info\ns=name\no=- 1 1 IN IP4 192.0.2.1\n"
      "m=audio 4000 RTP/AVP 0\na=sendonly\nk=clear:x\nb=AS:32\nc=IN IP4 192.0.2.2\ni=title\n");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().reason;
  EXPECT_EQ(serialize(*parsed),
            "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=name\r\ni=info\r\nu=http://example.com\r\n"
            "e=a@example.com\r\np=+1 555\r\nc=IN IP4 192.0.2.1\r\nb=AS:64\r\nt=0 0\r\n"
            "r=7d 1h 0\r\nk=prompt\r\na=tool:x\r\n"
            "m=audio 4000 RTP/AVP 0\r\ni=title\r\nc=IN IP4 192.0.2.2\r\nb=AS:32\r\nk=clear:x\r\n"
            "a=sendonly\r\n");
}

TEST(SdpSerializer, BuiltModelRoundTrips) {
  SessionDescription sdp;
  sdp.origin = Origin{"kolokol", "42", 7, "IN", "IP6", "2001:db8::7"};
  sdp.name = " ";
  sdp.connection = Connection{"IN", "IP6", "2001:db8::7", std::nullopt, std::nullopt};
  MediaDescription m;
  m.port = 30000;
  m.formats = {"8", "101"};
  m.attributes = {{"rtpmap", "8 PCMA/8000"},
                  {"rtpmap", "101 telephone-event/8000"},
                  {"fmtp", "101 0-16"},
                  {"rtcp-mux", std::nullopt}};
  sdp.media.push_back(m);
  auto parsed = parse(serialize(sdp));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().reason;
  EXPECT_EQ(*parsed, sdp);
}

TEST(SdpSerializer, ValuesCannotInjectLines) {
  SessionDescription sdp;
  sdp.name = "evil\r\nm=audio 1 RTP/AVP 0";
  const std::string text = serialize(sdp);
  auto parsed = parse(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().reason;
  EXPECT_TRUE(parsed->media.empty());
  EXPECT_EQ(parsed->name, "evilm=audio 1 RTP/AVP 0");
}

}  // namespace
}  // namespace kolokol::sdp
