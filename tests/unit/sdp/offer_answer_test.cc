#include <gtest/gtest.h>

#include <string>

#include "sdp/answer.h"
#include "sdp/answer_processing.h"
#include "sdp/hold.h"
#include "sdp/offer.h"
#include "sdp/parser.h"
#include "sdp/serializer.h"
#include "unit/sdp/fixtures.h"

namespace kolokol::sdp {
namespace {

using fixtures::crlf;

SessionDescription sdp_of(std::string_view text) {
  auto parsed = parse(text);
  EXPECT_TRUE(parsed.has_value()) << parsed.error().reason;
  return parsed ? *parsed : SessionDescription{};
}

const Codec kPcmu{0, "PCMU", 8000, 1, ""};
const Codec kPcma{8, "PCMA", 8000, 1, ""};
const Codec kG722{9, "G722", 8000, 1, ""};
const Codec kOpus{96, "opus", 48000, 2, "useinbandfec=1"};
const Codec kDtmf = Codec::telephone_event(101);

// The PBX side: PCMA preferred, then PCMU, G722, telephone-event.
LocalCapabilities pbx(Direction direction = Direction::SendRecv) {
  LocalCapabilities local;
  local.username = "kolokol";
  local.session_id = "77";
  local.session_version = 1;
  local.connection = Connection{"IN", "IP4", "192.0.2.100", {}, {}};
  MediaCapabilities audio;
  audio.port = 40000;
  audio.codecs = {kPcma, kPcmu, kG722, kDtmf};
  audio.direction = direction;
  audio.ptime = 20;
  local.media.push_back(audio);
  return local;
}

std::string offer_text(std::string_view media_lines, std::string_view session_extra = "",
                       std::string_view address = "198.51.100.7") {
  return "v=0\r\no=- 5 5 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 " + std::string(address) +
         "\r\nt=0 0\r\n" + std::string(session_extra) + std::string(media_lines);
}

Answer answer_ok(std::string_view offer, const LocalCapabilities& local = pbx(),
                 const AnswerOptions& options = {}) {
  auto answer = answer_offer(sdp_of(offer), local, options);
  EXPECT_TRUE(answer.has_value()) << answer.error().reason;
  return answer ? *answer : Answer{};
}

TEST(SdpOffer, BuildsFromCapabilities) {
  LocalCapabilities local = pbx();
  local.media[0].rtcp_mux = true;
  local.media[0].maxptime = 40;
  local.media[0].attributes = {{"x-extra", "1"}};
  local.write_sendrecv = true;
  EXPECT_EQ(serialize(build_offer(local)),
            "v=0\r\n"
            "o=kolokol 77 1 IN IP4 192.0.2.100\r\n"
            "s=-\r\n"
            "c=IN IP4 192.0.2.100\r\n"
            "t=0 0\r\n"
            "m=audio 40000 RTP/AVP 8 0 9 101\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:9 G722/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-16\r\n"
            "a=ptime:20\r\n"
            "a=maxptime:40\r\n"
            "a=rtcp-mux\r\n"
            "a=sendrecv\r\n"
            "a=x-extra:1\r\n");
}

TEST(SdpOffer, VersionIncrementsOnlyWhenTheSessionChanges) {
  LocalCapabilities local = pbx();
  const SessionDescription first = build_offer(local);
  local.session_version = 999;  // ignored once there is a previous description
  local.session_id = "other";
  const SessionDescription same = build_offer(local, &first);
  EXPECT_EQ(same, first);
  local.media[0].port = 40002;
  const SessionDescription moved = build_offer(local, &same);
  EXPECT_EQ(moved.origin.session_version, 2u);
  EXPECT_EQ(moved.origin.session_id, "77");
  EXPECT_EQ(build_offer(local, &moved).origin.session_version, 2u);
}

TEST(SdpOffer, ReofferKeepsRemovedStreamsAsDisabled) {
  LocalCapabilities local = pbx();
  MediaCapabilities video;
  video.media = "video";
  video.port = 40010;
  video.codecs = {Codec{97, "H264", 90000, 1, "packetization-mode=1"}};
  local.media.push_back(video);
  const SessionDescription first = build_offer(local);
  local.media.pop_back();
  const SessionDescription second = build_offer(local, &first);
  ASSERT_EQ(second.media.size(), 2u);
  EXPECT_TRUE(second.media[1].rejected());
  EXPECT_EQ(second.media[1].formats, std::vector<std::string>{"97"});
  EXPECT_EQ(second.origin.session_version, first.origin.session_version + 1);
}

TEST(SdpAnswer, KeepsOfferersPayloadTypesAndOrder) {
  const Answer answer = answer_ok(
      offer_text("m=audio 5004 RTP/AVP 0 9 96 8 100\r\na=rtpmap:96 opus/48000/2\r\n"
                 "a=rtpmap:100 telephone-event/8000\r\na=fmtp:100 0-15\r\na=ptime:30\r\n"));
  const MediaDescription& m = answer.sdp.media.at(0);
  EXPECT_EQ(m.port, 40000);
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "9", "8", "100"}));
  // telephone-event keeps the offerer's number, with our own fmtp.
  EXPECT_EQ(
      serialize(answer.sdp).find("a=rtpmap:100 telephone-event/8000\r\na=fmtp:100 0-16\r\n") !=
          std::string::npos,
      true);
  const NegotiatedMedia& n = answer.media.at(0);
  ASSERT_EQ(n.codecs.size(), 3u);
  EXPECT_EQ(n.codecs[0].encoding_name, "PCMU");
  ASSERT_TRUE(n.telephone_event);
  EXPECT_EQ(n.telephone_event->send_payload_type, 100);
  EXPECT_EQ(n.telephone_event->send_fmtp, "0-15");
  EXPECT_EQ(n.telephone_event->receive_fmtp, "0-16");
  EXPECT_EQ(n.remote_ptime, 30u);
  EXPECT_EQ(n.unmatched_formats, std::vector<std::string>{"96"});
  EXPECT_EQ(n.remote_address, "198.51.100.7");
  EXPECT_EQ(n.remote_port, 5004);
  EXPECT_EQ(ptime(m), 20u);  // ours
}

TEST(SdpAnswer, LocalPreferenceOrderAndCodecLimit) {
  const std::string offer = offer_text(
      "m=audio 5004 RTP/AVP 0 9 8 101\r\n"
      "a=rtpmap:101 telephone-event/8000\r\n");
  AnswerOptions options;
  options.order = CodecOrder::Local;
  EXPECT_EQ(answer_ok(offer, pbx(), options).sdp.media.at(0).formats,
            (std::vector<std::string>{"8", "0", "9", "101"}));
  options.max_codecs = 1;
  const Answer single = answer_ok(offer, pbx(), options);
  EXPECT_EQ(single.sdp.media.at(0).formats, (std::vector<std::string>{"8", "101"}));
  EXPECT_EQ(single.media[0].codecs.size(), 1u);
  EXPECT_TRUE(single.media[0].telephone_event);
}

TEST(SdpAnswer, TelephoneEventOnlyWhenBothSupportIt) {
  LocalCapabilities no_dtmf = pbx();
  no_dtmf.media[0].codecs = {kPcmu};
  const Answer answer = answer_ok(
      offer_text("m=audio 5004 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"), no_dtmf);
  EXPECT_EQ(answer.sdp.media.at(0).formats, std::vector<std::string>{"0"});
  EXPECT_FALSE(answer.media[0].telephone_event);

  const Answer without = answer_ok(offer_text("m=audio 5004 RTP/AVP 0\r\n"));
  EXPECT_FALSE(without.media.at(0).telephone_event);
}

TEST(SdpAnswer, TelephoneEventFollowsTheCodecClockRate) {
  LocalCapabilities local = pbx();
  local.media[0].codecs = {kOpus, kPcmu, Codec::telephone_event(101, 48000),
                           Codec::telephone_event(102, 8000)};
  const Answer answer = answer_ok(
      offer_text("m=audio 5004 RTP/AVP 0 111 126 110\r\na=rtpmap:111 opus/48000/2\r\n"
                 "a=rtpmap:126 telephone-event/8000\r\na=rtpmap:110 telephone-event/48000\r\n"),
      local);
  EXPECT_EQ(answer.sdp.media.at(0).formats, (std::vector<std::string>{"0", "111", "126", "110"}));
  EXPECT_EQ(answer.media[0].telephone_event->send_payload_type, 126);  // PCMU is first: 8 kHz
  AnswerOptions options;
  options.order = CodecOrder::Local;
  const Answer opus_first = answer_ok(
      offer_text("m=audio 5004 RTP/AVP 0 111 126 110\r\na=rtpmap:111 opus/48000/2\r\n"
                 "a=rtpmap:126 telephone-event/8000\r\na=rtpmap:110 telephone-event/48000\r\n"),
      local, options);
  EXPECT_EQ(opus_first.media[0].codecs.at(0).encoding_name, "opus");
  EXPECT_EQ(opus_first.media[0].telephone_event->send_payload_type, 110);
  // Dropping opus drops its 48 kHz telephone-event too.
  options.max_codecs = 1;
  options.order = CodecOrder::Offerer;
  EXPECT_EQ(
      answer_ok(offer_text("m=audio 5004 RTP/AVP 0 111 126 110\r\n"
                           "a=rtpmap:111 opus/48000/2\r\na=rtpmap:126 telephone-event/8000\r\n"
                           "a=rtpmap:110 telephone-event/48000\r\n"),
                local, options)
          .sdp.media.at(0)
          .formats,
      (std::vector<std::string>{"0", "126"}));
}

TEST(SdpAnswer, NoCommonMediaCodecIsNotAcceptable) {
  // telephone-event alone does not make a call.
  auto answer = answer_offer(
      sdp_of(offer_text("m=audio 5004 RTP/AVP 18 101\r\na=rtpmap:101 telephone-event/8000\r\n")),
      pbx());
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().failure, NegotiationFailure::NotAcceptable);
}

struct DirectionCase {
  const char* offered_attribute;
  Direction local;
  Direction expected;
  bool remote_hold;
};

class SdpAnswerDirection : public testing::TestWithParam<DirectionCase> {};

TEST_P(SdpAnswerDirection, FollowsRfc3264) {
  const DirectionCase& c = GetParam();
  std::string media = "m=audio 5004 RTP/AVP 0\r\n";
  if (*c.offered_attribute != '\0') media += "a=" + std::string(c.offered_attribute) + "\r\n";
  const Answer answer = answer_ok(offer_text(media), pbx(c.local));
  EXPECT_EQ(answer.media.at(0).direction, c.expected);
  EXPECT_EQ(answer.media[0].remote_hold, c.remote_hold);
  EXPECT_EQ(direction_of(answer.sdp, answer.sdp.media[0]), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, SdpAnswerDirection,
    testing::Values(DirectionCase{"", Direction::SendRecv, Direction::SendRecv, false},
                    DirectionCase{"sendrecv", Direction::SendRecv, Direction::SendRecv, false},
                    DirectionCase{"sendonly", Direction::SendRecv, Direction::RecvOnly, true},
                    DirectionCase{"recvonly", Direction::SendRecv, Direction::SendOnly, false},
                    DirectionCase{"inactive", Direction::SendRecv, Direction::Inactive, true},
                    DirectionCase{"", Direction::SendOnly, Direction::SendOnly, false},
                    DirectionCase{"", Direction::RecvOnly, Direction::RecvOnly, false},
                    DirectionCase{"sendonly", Direction::SendOnly, Direction::Inactive, true},
                    DirectionCase{"recvonly", Direction::RecvOnly, Direction::Inactive, false}));

TEST(SdpAnswer, LegacyHoldWithZeroAddressAndSessionLevelDirection) {
  const Answer zero = answer_ok(offer_text("m=audio 5004 RTP/AVP 0\r\n", "", "0.0.0.0"));
  EXPECT_EQ(zero.media.at(0).direction, Direction::RecvOnly);
  EXPECT_TRUE(zero.media[0].remote_hold);
  EXPECT_TRUE(is_hold(sdp_of(offer_text("m=audio 5004 RTP/AVP 0\r\n", "", "0.0.0.0")), 0));

  const Answer session = answer_ok(offer_text("m=audio 5004 RTP/AVP 0\r\n", "a=sendonly\r\n"));
  EXPECT_EQ(session.media.at(0).direction, Direction::RecvOnly);

  const Answer media_wins =
      answer_ok(offer_text("m=audio 5004 RTP/AVP 0\r\na=sendrecv\r\n", "a=sendonly\r\n"));
  EXPECT_EQ(media_wins.media.at(0).direction, Direction::SendRecv);
}

TEST(SdpAnswer, WebRtcZeroAddressWithIceIsNotHold) {
  LocalCapabilities local = pbx();
  local.media[0].proto = "UDP/TLS/RTP/SAVPF";
  local.media[0].rtcp_mux = true;
  local.media[0].codecs = {kOpus, kPcmu};
  const Answer answer = answer_ok(crlf(fixtures::kWebRtc), local);
  ASSERT_EQ(answer.media.size(), 2u);
  EXPECT_TRUE(answer.media[0].accepted);
  EXPECT_FALSE(answer.media[0].remote_hold);
  EXPECT_TRUE(answer.media[0].rtcp_mux);
  EXPECT_TRUE(rtcp_mux(answer.sdp.media[0]));
  EXPECT_EQ(answer.media[0].codecs.at(0).send_payload_type, 111);
  EXPECT_EQ(answer.media[0].remote_rtcp->port, 9);
  EXPECT_FALSE(answer.media[1].accepted);  // no video capability
  EXPECT_EQ(answer.sdp.media[1].port, 0);
}

TEST(SdpAnswer, RejectsStreamsWeCannotTakeButKeepsTheMLineCount) {
  const Answer answer = answer_ok(crlf(fixtures::kAudioVideoRejectedText));
  ASSERT_EQ(answer.sdp.media.size(), 3u);
  EXPECT_EQ(answer.sdp.media[0].port, 40000);
  EXPECT_EQ(answer.sdp.media[0].formats, (std::vector<std::string>{"0", "8", "101"}));
  EXPECT_EQ(answer.media[0].codecs.size(), 2u);
  EXPECT_EQ(answer.sdp.media[1].port, 0);
  EXPECT_EQ(answer.sdp.media[1].media, "video");
  EXPECT_EQ(answer.sdp.media[2].port, 0);
  EXPECT_EQ(answer.sdp.media[2].media, "text");
  EXPECT_FALSE(answer.media[2].accepted);
}

TEST(SdpAnswer, TransportMustMatch) {
  auto answer = answer_offer(sdp_of(crlf(fixtures::kYealinkSrtp)), pbx());
  ASSERT_FALSE(answer.has_value());  // RTP/SAVP offered, we only do RTP/AVP here
  EXPECT_EQ(answer.error().failure, NegotiationFailure::NotAcceptable);

  LocalCapabilities srtp = pbx();
  srtp.media[0].proto = "RTP/SAVP";
  srtp.media[0].attributes = {
      {"crypto", "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"}};
  const Answer ok = answer_ok(crlf(fixtures::kYealinkSrtp), srtp);
  EXPECT_EQ(ok.sdp.media.at(0).proto, "RTP/SAVP");
  EXPECT_EQ(cryptos(ok.sdp.media[0]).size(), 1u);
}

TEST(SdpAnswer, OfferWithoutConnectionIsInvalid) {
  auto answer = answer_offer(
      sdp_of("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n"),
      pbx());
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().failure, NegotiationFailure::InvalidOffer);
  EXPECT_EQ(answer.error().media_index, 0u);
}

TEST(SdpAnswer, OfferWithoutMediaOrWithOnlyDisabledStreams) {
  EXPECT_TRUE(answer_ok(offer_text("")).sdp.media.empty());
  const Answer disabled = answer_ok(offer_text("m=audio 0 RTP/AVP 0\r\n"));
  EXPECT_EQ(disabled.sdp.media.at(0).port, 0);
}

TEST(SdpAnswer, IPv6OfferAndMediaConnection) {
  const Answer answer = answer_ok(crlf(fixtures::kIpv6));
  EXPECT_EQ(answer.media.at(0).remote_address, "2001:db8::1");
  const Answer per_media =
      answer_ok(offer_text("m=audio 5004 RTP/AVP 0\r\nc=IN IP6 2001:db8::9\r\n"));
  EXPECT_EQ(per_media.media.at(0).remote_address, "2001:db8::9");
}

TEST(SdpAnswer, CopiesTheOffersTiming) {
  const Answer answer = answer_ok(
      "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=3034423619 3042462419\r\n"
      "m=audio 5004 RTP/AVP 0\r\n");
  EXPECT_EQ(answer.sdp.timings.at(0).start, 3034423619u);
}

TEST(SdpAnswer, OwnAnswerIsAcceptedByProcessAnswer) {
  for (std::string_view fixture :
       {fixtures::kAsterisk, fixtures::kFreeSwitch, fixtures::kBaresipLf, fixtures::kPolycom,
        fixtures::kIpv6, fixtures::kAudioVideoRejectedText}) {
    const SessionDescription offer = sdp_of(fixture);
    auto answer = answer_offer(offer, pbx());
    ASSERT_TRUE(answer.has_value()) << answer.error().reason;
    auto processed = process_answer(offer, answer->sdp);
    ASSERT_TRUE(processed.has_value()) << processed.error().reason;
    ASSERT_EQ(processed->size(), answer->media.size());
    for (std::size_t i = 0; i < processed->size(); ++i) {
      EXPECT_EQ((*processed)[i].accepted, answer->media[i].accepted);
      EXPECT_EQ((*processed)[i].direction, reversed(answer->media[i].direction));
      EXPECT_EQ((*processed)[i].codecs.size(), answer->media[i].codecs.size());
    }
  }
}

// ---- process_answer errors

const std::string kOffer = offer_text(
    "m=audio 5004 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n"
    "m=video 0 RTP/AVP 31\r\n");

NegotiationFailure failure_of(std::string_view answer) {
  auto result = process_answer(sdp_of(kOffer), sdp_of(answer));
  EXPECT_FALSE(result.has_value());
  return result ? NegotiationFailure::InvalidOffer : result.error().failure;
}

TEST(SdpProcessAnswer, RejectsInvalidAnswers) {
  EXPECT_EQ(failure_of(offer_text("m=audio 6000 RTP/AVP 0\r\n")),
            NegotiationFailure::MediaCountMismatch);
  EXPECT_EQ(failure_of(offer_text("m=video 6000 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n")),
            NegotiationFailure::MediaTypeMismatch);
  EXPECT_EQ(failure_of(offer_text("m=audio 6000 RTP/SAVP 0\r\nm=video 0 RTP/AVP 31\r\n")),
            NegotiationFailure::MediaTypeMismatch);
  EXPECT_EQ(failure_of(offer_text("m=audio 6000 RTP/AVP 18\r\nm=video 0 RTP/AVP 31\r\n")),
            NegotiationFailure::NoCommonCodec);
  EXPECT_EQ(failure_of(offer_text("m=audio 6000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000"
                                  "\r\nm=video 0 RTP/AVP 31\r\n")),
            NegotiationFailure::NoCommonCodec);
  EXPECT_EQ(failure_of(offer_text("m=audio 6000 RTP/AVP 0\r\nm=video 7000 RTP/AVP 31\r\n")),
            NegotiationFailure::InvalidAnswer);
  EXPECT_EQ(failure_of("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
                       "m=audio 6000 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n"),
            NegotiationFailure::InvalidAnswer);
}

TEST(SdpProcessAnswer, RejectedStreamAndRtcpMux) {
  auto all_rejected = process_answer(
      sdp_of(kOffer), sdp_of(offer_text("m=audio 0 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n")));
  ASSERT_TRUE(all_rejected.has_value());
  EXPECT_FALSE((*all_rejected)[0].accepted);

  LocalCapabilities local = pbx();
  local.media[0].rtcp_mux = true;
  const SessionDescription offer = build_offer(local);
  auto muxed = process_answer(
      offer, sdp_of(offer_text("m=audio 6000 RTP/AVP 8\r\na=rtcp-mux\r\na=rtcp:6001\r\n")));
  ASSERT_TRUE(muxed.has_value());
  EXPECT_TRUE((*muxed)[0].rtcp_mux);
  EXPECT_EQ((*muxed)[0].remote_rtcp->port, 6001);
  EXPECT_EQ((*muxed)[0].codecs.at(0).encoding_name, "PCMA");
  EXPECT_EQ((*muxed)[0].local_port, 40000);
}

// ---- hold helpers

TEST(SdpHold, HoldAndUnholdBumpTheVersionOnce) {
  const SessionDescription offer = build_offer(pbx());
  const SessionDescription held = hold(offer);
  EXPECT_EQ(held.origin.session_version, offer.origin.session_version + 1);
  EXPECT_EQ(direction_of(held, held.media[0]), Direction::SendOnly);
  EXPECT_EQ(hold(held), held);  // already on hold: same description, same version
  const SessionDescription resumed = unhold(held);
  EXPECT_EQ(resumed.origin.session_version, held.origin.session_version + 1);
  EXPECT_EQ(direction_of(resumed, resumed.media[0]), Direction::SendRecv);
}

TEST(SdpHold, RecvOnlyBecomesInactiveAndBack) {
  const SessionDescription recvonly = build_offer(pbx(Direction::RecvOnly));
  const SessionDescription held = hold(recvonly);
  EXPECT_EQ(direction_of(held, held.media[0]), Direction::Inactive);
  EXPECT_EQ(direction_of(unhold(held), unhold(held).media[0]), Direction::RecvOnly);
  const SessionDescription inactive = with_direction(recvonly, 0, Direction::Inactive);
  EXPECT_EQ(inactive.media[0], held.media[0]);
}

TEST(SdpHold, LeavesDisabledStreamsAlone) {
  SessionDescription sdp = build_offer(pbx());
  sdp.media.push_back(disabled_copy(sdp.media[0]));
  const SessionDescription held = hold(sdp);
  EXPECT_EQ(held.media[1], sdp.media[1]);
  EXPECT_FALSE(is_hold(held, 1));
  EXPECT_FALSE(is_hold(held, 7));
}

}  // namespace
}  // namespace kolokol::sdp
