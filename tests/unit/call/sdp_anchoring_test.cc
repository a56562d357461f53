// The B2BUA's SDP rewriting for anchored media: what a leg's SDP tells the relay, and what the
// other leg gets to see instead (our address and port, nothing of the first leg's network).
#include "call/sdp_anchoring.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sdp/attributes.h"
#include "sdp/parser.h"

namespace kolokol::call {
namespace {

constexpr const char* kPhoneOffer =
    "v=0\r\n"
    "o=phone 1234 5678 IN IP4 192.168.1.20\r\n"
    "s=call\r\n"
    "c=IN IP4 192.168.1.20\r\n"
    "t=0 0\r\n"
    "m=audio 16384 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=rtcp:16391\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n";

// A browser-like offer: ICE at both levels, rtcp-mux, a video stream after the audio one.
constexpr const char* kIceOffer =
    "v=0\r\n"
    "o=- 42 2 IN IP4 10.1.2.3\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=ice-options:trickle\r\n"
    "a=ice-lite\r\n"
    "m=audio 50000 RTP/AVP 111 0\r\n"
    "c=IN IP4 10.1.2.3\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
    "a=ice-ufrag:abcd\r\n"
    "a=ice-pwd:0123456789abcdefghijkl\r\n"
    "a=candidate:1 1 UDP 2130706431 10.1.2.3 50000 typ host\r\n"
    "a=end-of-candidates\r\n"
    "a=rtcp-mux\r\n"
    "a=sendrecv\r\n"
    "m=video 50002 RTP/AVP 96\r\n"
    "c=IN IP4 10.1.2.3\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
    "a=ice-ufrag:abcd\r\n"
    "a=candidate:1 1 UDP 2130706431 10.1.2.3 50002 typ host\r\n";

sdp::SessionDescription parsed(const std::string& text) {
  auto result = sdp::parse(text);
  EXPECT_TRUE(result) << text;
  return result ? result.value() : sdp::SessionDescription{};
}

// kPhoneOffer with one line replaced (or, with an empty `with`, removed).
std::string phone_offer_with(const std::string& line, const std::string& with) {
  std::string text = kPhoneOffer;
  const auto at = text.find(line + "\r\n");
  EXPECT_NE(at, std::string::npos) << line;
  if (at == std::string::npos) return text;
  text.replace(at, line.size() + 2, with.empty() ? "" : with + "\r\n");
  return text;
}

bool has_any_ice_attribute(const sdp::Attributes& attributes) {
  for (const char* name : {"candidate", "ice-ufrag", "ice-pwd", "ice-options", "ice-lite",
                           "end-of-candidates", "remote-candidates"}) {
    if (sdp::has_attribute(attributes, name)) return true;
  }
  return false;
}

TEST(RelayRemoteOf, ReadsATypicalPhoneOffer) {
  const auto remote = relay_remote_of(parsed(kPhoneOffer));
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->rtp.to_string(), "192.168.1.20:16384");
  EXPECT_EQ(remote->rtcp.to_string(), "192.168.1.20:16391");  // a=rtcp, not port + 1
  EXPECT_FALSE(remote->rtcp_mux);
  EXPECT_EQ(remote->clock_rate, 8000u);
  EXPECT_TRUE(remote->sends);
  ASSERT_EQ(remote->formats.size(), 3u);
  EXPECT_EQ(remote->formats[0].payload_type, 0);
  EXPECT_EQ(remote->formats[0].encoding_name, "PCMU");
  EXPECT_EQ(remote->formats[1].payload_type, 8);
  EXPECT_EQ(remote->formats[1].encoding_name, "PCMA");
  EXPECT_EQ(remote->formats[1].clock_rate, 8000u);
  EXPECT_EQ(remote->formats[2].payload_type, 101);
  EXPECT_EQ(remote->formats[2].encoding_name, "telephone-event");
}

TEST(RelayRemoteOf, RtcpDefaultsToTheNextPortAndNamesStaticTypesWithoutRtpmap) {
  const std::string text =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
      "m=audio 7078 RTP/AVP 8 0\r\n";
  const auto remote = relay_remote_of(parsed(text));
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->rtp.to_string(), "192.0.2.5:7078");
  EXPECT_EQ(remote->rtcp.to_string(), "192.0.2.5:7079");
  ASSERT_EQ(remote->formats.size(), 2u);
  EXPECT_EQ(remote->formats[0].payload_type, 8);
  EXPECT_EQ(remote->formats[0].encoding_name, "");  // static type: the relay knows it itself
  EXPECT_EQ(remote->formats[1].payload_type, 0);
}

TEST(RelayRemoteOf, OpusStreamCountsAt48kAndSeesRtcpMux) {
  const auto remote = relay_remote_of(parsed(kIceOffer));
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->rtp.to_string(), "10.1.2.3:50000");
  EXPECT_TRUE(remote->rtcp_mux);
  EXPECT_EQ(remote->clock_rate, 48000u);
  ASSERT_EQ(remote->formats.size(), 2u);
  EXPECT_EQ(remote->formats[0].encoding_name, "opus");
  EXPECT_EQ(remote->formats[0].channels, 2);
}

// baresip lists telephone-event first in its answers: the stream still counts at opus's clock
// (at 8 kHz a steady opus stream showed 100 ms of jitter).
TEST(RelayRemoteOf, ClockRateSkipsTelephoneEventsAndComfortNoise) {
  const std::string text =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
      "m=audio 7078 RTP/AVP 101 13 96\r\na=rtpmap:101 telephone-event/8000\r\n"
      "a=rtpmap:13 CN/8000\r\na=rtpmap:96 opus/48000/2\r\n";
  const auto remote = relay_remote_of(parsed(text));
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->clock_rate, 48000u);
}

// The leg says it will not send: recvonly (the answer to our sendonly hold), inactive, or the
// legacy hold address. A sendonly leg (it holds us, music on hold) does send.
TEST(RelayRemoteOf, DirectionsThatDoNotSend) {
  for (const char* direction : {"a=recvonly", "a=inactive"}) {
    const auto remote = relay_remote_of(parsed(phone_offer_with("a=sendrecv", direction)));
    ASSERT_TRUE(remote) << direction;
    EXPECT_FALSE(remote->sends) << direction;
  }
  const auto sendonly = relay_remote_of(parsed(phone_offer_with("a=sendrecv", "a=sendonly")));
  ASSERT_TRUE(sendonly);
  EXPECT_TRUE(sendonly->sends);

  const auto legacy =
      relay_remote_of(parsed(phone_offer_with("c=IN IP4 192.168.1.20", "c=IN IP4 0.0.0.0")));
  ASSERT_TRUE(legacy);
  EXPECT_FALSE(legacy->sends);
}

TEST(RelayRemoteOf, SessionLevelDirectionApplies) {
  std::string text = phone_offer_with("a=sendrecv", "");
  text.insert(text.find("m=audio"), "a=inactive\r\n");
  const auto remote = relay_remote_of(parsed(text));
  ASSERT_TRUE(remote);
  EXPECT_FALSE(remote->sends);
}

TEST(RelayRemoteOf, Ipv6Address) {
  const auto remote =
      relay_remote_of(parsed(phone_offer_with("c=IN IP4 192.168.1.20", "c=IN IP6 2001:db8::7")));
  ASSERT_TRUE(remote);
  EXPECT_TRUE(remote->rtp.is_ipv6());
  EXPECT_EQ(remote->rtp.to_string(), "[2001:db8::7]:16384");
  EXPECT_EQ(remote->rtcp.to_string(), "[2001:db8::7]:16391");
}

TEST(RelayRemoteOf, HostNameGivesNothing) {
  EXPECT_FALSE(relay_remote_of(
      parsed(phone_offer_with("c=IN IP4 192.168.1.20", "c=IN IP4 phone.example.com"))));
}

TEST(RelayRemoteOf, NoAudioOrNoConnectionGivesNothing) {
  EXPECT_FALSE(relay_remote_of(
      parsed("v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
             "m=video 5000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n")));
  EXPECT_FALSE(relay_remote_of(parsed(phone_offer_with("c=IN IP4 192.168.1.20", ""))));
}

TEST(RelayRemoteOf, SkipsARejectedAudioStream) {
  const std::string text =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
      "m=audio 0 RTP/AVP 0\r\n"
      "m=audio 6000 RTP/AVP 8\r\n";
  const auto remote = relay_remote_of(parsed(text));
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->rtp.port(), 6000);
  ASSERT_EQ(remote->formats.size(), 1u);
  EXPECT_EQ(remote->formats[0].payload_type, 8);
}

TEST(AnchoredSdp, PhoneOfferPointsAtTheRelay) {
  const std::string text = anchored_sdp(parsed(kPhoneOffer), "203.0.113.9", 30000);
  EXPECT_EQ(text.find("192.168.1.20"), std::string::npos) << text;
  const sdp::SessionDescription out = parsed(text);
  EXPECT_EQ(out.origin.address, "203.0.113.9");
  EXPECT_EQ(out.origin.addr_type, "IP4");
  EXPECT_EQ(out.origin.session_id, "1234");  // the rest of o= is the leg's
  ASSERT_EQ(out.media.size(), 1u);
  const sdp::MediaDescription& m = out.media[0];
  EXPECT_EQ(m.port, 30000);
  const sdp::Connection* c = out.connection_for(m);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->address, "203.0.113.9");
  EXPECT_EQ(c->addr_type, "IP4");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "8", "101"}));
  EXPECT_FALSE(sdp::has_attribute(m.attributes, "rtcp"));
  EXPECT_EQ(sdp::attribute_value(m.attributes, "fmtp"), "101 0-16");
  EXPECT_TRUE(sdp::has_attribute(m.attributes, "sendrecv"));
  EXPECT_EQ(sdp::attribute_value(m.attributes, "ptime"), "20");
  // What the other leg learns of this one is exactly the relay.
  const auto remote = relay_remote_of(out);
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->rtp.to_string(), "203.0.113.9:30000");
  EXPECT_EQ(remote->rtcp.to_string(), "203.0.113.9:30001");
}

TEST(AnchoredSdp, IceGoesVideoIsDisabledRtcpMuxStays) {
  const std::string text = anchored_sdp(parsed(kIceOffer), "203.0.113.9", 30000);
  EXPECT_EQ(text.find("10.1.2.3"), std::string::npos) << text;
  const sdp::SessionDescription out = parsed(text);
  EXPECT_FALSE(has_any_ice_attribute(out.attributes));
  ASSERT_EQ(out.media.size(), 2u);
  EXPECT_EQ(out.media[0].port, 30000);
  EXPECT_FALSE(has_any_ice_attribute(out.media[0].attributes));
  EXPECT_TRUE(sdp::rtcp_mux(out.media[0]));
  EXPECT_EQ(out.media[0].formats, (std::vector<std::string>{"111", "0"}));
  EXPECT_EQ(out.media[1].media, "video");
  EXPECT_EQ(out.media[1].port, 0);
  EXPECT_FALSE(has_any_ice_attribute(out.media[1].attributes));
  // A disabled stream still has a c= to go by (RFC 8866 5.7): the session's.
  const sdp::Connection* c = out.connection_for(out.media[1]);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->address, "203.0.113.9");
}

TEST(AnchoredSdp, LegacyHoldAddressStays) {
  const sdp::SessionDescription held =
      parsed(phone_offer_with("c=IN IP4 192.168.1.20", "c=IN IP4 0.0.0.0"));
  const sdp::SessionDescription out = parsed(anchored_sdp(held, "203.0.113.9", 30000));
  ASSERT_EQ(out.media.size(), 1u);
  const sdp::Connection* c = out.connection_for(out.media[0]);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->address, "0.0.0.0");
  EXPECT_EQ(out.media[0].port, 30000);
  EXPECT_EQ(out.origin.address, "203.0.113.9");
  // The other leg reads it as hold too.
  const auto remote = relay_remote_of(out);
  ASSERT_TRUE(remote);
  EXPECT_FALSE(remote->sends);
}

TEST(AnchoredSdp, DirectionAttributesAreKept) {
  const sdp::SessionDescription held = parsed(phone_offer_with("a=sendrecv", "a=sendonly"));
  const sdp::SessionDescription out = parsed(anchored_sdp(held, "203.0.113.9", 30000));
  ASSERT_EQ(out.media.size(), 1u);
  EXPECT_TRUE(sdp::has_attribute(out.media[0].attributes, "sendonly"));
  EXPECT_FALSE(sdp::has_attribute(out.media[0].attributes, "sendrecv"));
}

TEST(AnchoredSdp, Ipv6RelayAddressGivesIp6) {
  const sdp::SessionDescription out =
      parsed(anchored_sdp(parsed(kPhoneOffer), "2001:db8::53", 30002));
  EXPECT_EQ(out.origin.addr_type, "IP6");
  EXPECT_EQ(out.origin.address, "2001:db8::53");
  ASSERT_EQ(out.media.size(), 1u);
  const sdp::Connection* c = out.connection_for(out.media[0]);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->addr_type, "IP6");
  EXPECT_EQ(c->address, "2001:db8::53");
  const auto remote = relay_remote_of(out);
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->rtp.to_string(), "[2001:db8::53]:30002");
}

TEST(AnchoredSdp, RejectedAudioStreamIsSkippedAndOnlyTheFirstLiveOneAnchored) {
  const std::string text =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
      "m=audio 0 RTP/AVP 0\r\n"
      "m=audio 6000 RTP/AVP 8\r\n"
      "a=rtcp:6005\r\n"
      "m=audio 6002 RTP/AVP 0\r\n";
  const std::string anchored = anchored_sdp(parsed(text), "203.0.113.9", 30000);
  EXPECT_EQ(anchored.find("192.0.2.5"), std::string::npos) << anchored;
  const sdp::SessionDescription out = parsed(anchored);
  ASSERT_EQ(out.media.size(), 3u);
  EXPECT_EQ(out.media[0].port, 0);
  EXPECT_EQ(out.media[1].port, 30000);
  EXPECT_EQ(out.media[1].formats, (std::vector<std::string>{"8"}));
  EXPECT_FALSE(sdp::has_attribute(out.media[1].attributes, "rtcp"));
  EXPECT_EQ(out.media[2].port, 0);  // a second audio stream is not relayed
}

}  // namespace
}  // namespace kolokol::call
