// The offer/answer examples of RFC 4317, sections 2.1-2.6 and 3.1-3.2, replayed through our
// engine: where we play a party, the SDP we produce must equal the RFC's text; where we receive
// one, process_answer must read it as the RFC explains. The RFC writes "s=" with one space.
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

SessionDescription sdp_of(std::string_view lf_text) {
  auto parsed = parse(lf_text);
  EXPECT_TRUE(parsed.has_value()) << parsed.error().reason;
  return parsed ? *parsed : SessionDescription{};
}

const Codec kPcmu{0, "PCMU", 8000, 1, ""};
const Codec kPcma{8, "PCMA", 8000, 1, ""};
const Codec kIlbc{97, "iLBC", 8000, 1, ""};
const Codec kH261{31, "H261", 90000, 1, ""};
const Codec kMpv{32, "MPV", 90000, 1, ""};

MediaCapabilities stream(std::string media, std::uint16_t port, std::vector<Codec> codecs,
                         Direction direction = Direction::SendRecv) {
  MediaCapabilities m;
  m.media = std::move(media);
  m.port = port;
  m.codecs = std::move(codecs);
  m.direction = direction;
  return m;
}

LocalCapabilities alice(std::vector<MediaCapabilities> media) {
  LocalCapabilities local;
  local.username = "alice";
  local.session_id = "2890844526";
  local.session_version = 2890844526;
  local.session_name = " ";
  local.connection = Connection{"IN", "IP4", "host.atlanta.example.com", {}, {}};
  local.media = std::move(media);
  return local;
}

LocalCapabilities bob(std::vector<MediaCapabilities> media,
                      std::string address = "host.biloxi.example.com") {
  LocalCapabilities local;
  local.username = "bob";
  local.session_id = "2808844564";
  local.session_version = 2808844564;
  local.session_name = " ";
  local.connection = Connection{"IN", "IP4", std::move(address), {}, {}};
  local.origin_address = "host.biloxi.example.com";
  local.media = std::move(media);
  return local;
}

Answer answer_ok(const SessionDescription& offer, const LocalCapabilities& local,
                 const AnswerOptions& options = {}) {
  auto answer = answer_offer(offer, local, options);
  EXPECT_TRUE(answer.has_value()) << answer.error().reason;
  return answer ? *answer : Answer{};
}

std::vector<NegotiatedMedia> processed_ok(const SessionDescription& offer,
                                          const SessionDescription& answer) {
  auto result = process_answer(offer, answer);
  EXPECT_TRUE(result.has_value()) << result.error().reason;
  return result ? *result : std::vector<NegotiatedMedia>{};
}

constexpr std::string_view kAliceAudioVideoOffer =
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\n"
    "s= \n"
    "c=IN IP4 host.atlanta.example.com\n"
    "t=0 0\n"
    "m=audio 49170 RTP/AVP 0 8 97\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:97 iLBC/8000\n"
    "m=video 51372 RTP/AVP 31 32\n"
    "a=rtpmap:31 H261/90000\n"
    "a=rtpmap:32 MPV/90000\n";

TEST(Rfc4317, S2_1_AudioAndVideo1) {
  const LocalCapabilities alice_caps =
      alice({stream("audio", 49170, {kPcmu, kPcma, kIlbc}), stream("video", 51372, {kH261, kMpv})});
  const SessionDescription offer = build_offer(alice_caps);
  EXPECT_EQ(serialize(offer), crlf(kAliceAudioVideoOffer));

  const Answer answer =
      answer_ok(offer, bob({stream("audio", 49174, {kPcmu}), stream("video", 49170, {kMpv})}));
  EXPECT_EQ(serialize(answer.sdp),
            crlf("v=0\n"
                 "o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\n"
                 "s= \n"
                 "c=IN IP4 host.biloxi.example.com\n"
                 "t=0 0\n"
                 "m=audio 49174 RTP/AVP 0\n"
                 "a=rtpmap:0 PCMU/8000\n"
                 "m=video 49170 RTP/AVP 32\n"
                 "a=rtpmap:32 MPV/90000\n"));
  ASSERT_EQ(answer.media.size(), 2u);
  EXPECT_TRUE(answer.media[0].accepted);
  EXPECT_EQ(answer.media[0].remote_address, "host.atlanta.example.com");
  EXPECT_EQ(answer.media[0].remote_port, 49170);
  EXPECT_EQ(answer.media[0].local_port, 49174);
  EXPECT_EQ(answer.media[0].direction, Direction::SendRecv);
  EXPECT_EQ(answer.media[1].codecs.at(0).encoding_name, "MPV");

  // Alice's side: only PCMU audio and MPV video may be sent.
  const auto negotiated = processed_ok(offer, answer.sdp);
  ASSERT_EQ(negotiated.size(), 2u);
  ASSERT_EQ(negotiated[0].codecs.size(), 1u);
  EXPECT_EQ(negotiated[0].codecs[0], (NegotiatedCodec{"PCMU", 8000, 1, 0, 0, "", ""}));
  EXPECT_EQ(negotiated[0].remote_address, "host.biloxi.example.com");
  EXPECT_EQ(negotiated[0].remote_port, 49174);
  EXPECT_EQ(negotiated[1].codecs.at(0).encoding_name, "MPV");
  EXPECT_EQ(negotiated[1].remote_port, 49170);
}

TEST(Rfc4317, S2_2_AudioAndVideo2) {
  const SessionDescription offer = sdp_of(kAliceAudioVideoOffer);
  const LocalCapabilities bob_caps = bob({stream("audio", 49172, {kPcmu, kPcma})});
  const Answer answer = answer_ok(offer, bob_caps);
  EXPECT_EQ(serialize(answer.sdp),
            crlf("v=0\n"
                 "o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\n"
                 "s= \n"
                 "c=IN IP4 host.biloxi.example.com\n"
                 "t=0 0\n"
                 "m=audio 49172 RTP/AVP 0 8\n"
                 "a=rtpmap:0 PCMU/8000\n"
                 "a=rtpmap:8 PCMA/8000\n"
                 "m=video 0 RTP/AVP 31\n"
                 "a=rtpmap:31 H261/90000\n"));
  EXPECT_FALSE(answer.media.at(1).accepted);
  const auto first = processed_ok(offer, answer.sdp);
  EXPECT_EQ(first.at(0).codecs.size(), 2u);
  EXPECT_FALSE(first.at(1).accepted);

  // Alice limits the choice to one codec: version incremented, declined video kept at port 0.
  const SessionDescription second_offer =
      build_offer(alice({stream("audio", 51372, {kPcmu}), stream("video", 0, {kH261})}), &offer);
  EXPECT_EQ(serialize(second_offer),
            crlf("v=0\n"
                 "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com\n"
                 "s= \n"
                 "c=IN IP4 host.atlanta.example.com\n"
                 "t=0 0\n"
                 "m=audio 51372 RTP/AVP 0\n"
                 "a=rtpmap:0 PCMU/8000\n"
                 "m=video 0 RTP/AVP 31\n"
                 "a=rtpmap:31 H261/90000\n"));
  AnswerOptions options;
  options.previous = &answer.sdp;
  const Answer second_answer = answer_ok(second_offer, bob_caps, options);
  EXPECT_EQ(serialize(second_answer.sdp),
            crlf("v=0\n"
                 "o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com\n"
                 "s= \n"
                 "c=IN IP4 host.biloxi.example.com\n"
                 "t=0 0\n"
                 "m=audio 49172 RTP/AVP 0\n"
                 "a=rtpmap:0 PCMU/8000\n"
                 "m=video 0 RTP/AVP 31\n"
                 "a=rtpmap:31 H261/90000\n"));
  const auto second = processed_ok(second_offer, second_answer.sdp);
  ASSERT_EQ(second.at(0).codecs.size(), 1u);
  EXPECT_EQ(second[0].codecs[0].encoding_name, "PCMU");
  EXPECT_EQ(second[0].local_port, 51372);
}

TEST(Rfc4317, S2_3_AudioAndVideo3RenumberedPayloadType) {
  const SessionDescription offer = sdp_of(kAliceAudioVideoOffer);
  const SessionDescription answer = sdp_of(
      "v=0\n"
      "o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\n"
      "s= \n"
      "c=IN IP4 host.biloxi.example.com\n"
      "t=0 0\n"
      "m=audio 49172 RTP/AVP 99\n"
      "a=rtpmap:99 iLBC/8000\n"
      "m=video 51374 RTP/AVP 31\n"
      "a=rtpmap:31 H261/90000\n");
  const auto negotiated = processed_ok(offer, answer);
  ASSERT_EQ(negotiated.at(0).codecs.size(), 1u);
  // Alice sends iLBC as 99 (Bob's number) and receives it as 97 (hers).
  EXPECT_EQ(negotiated[0].codecs[0], (NegotiatedCodec{"iLBC", 8000, 1, 99, 97, "", ""}));
  EXPECT_EQ(negotiated.at(1).codecs.at(0).encoding_name, "H261");
  EXPECT_TRUE(negotiated[0].unmatched_formats.empty());

  // Playing Bob, we keep the offerer's numbering even if our own iLBC is configured as 99.
  const Answer ours =
      answer_ok(offer, bob({stream("audio", 49172, {Codec{99, "iLBC", 8000, 1, ""}}),
                            stream("video", 51374, {kH261})}));
  EXPECT_EQ(ours.sdp.media.at(0).formats, std::vector<std::string>{"97"});
  EXPECT_EQ(ours.media.at(0).codecs.at(0), (NegotiatedCodec{"iLBC", 8000, 1, 97, 97, "", ""}));
}

constexpr std::string_view kAliceTwoAudioOffer =
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\n"
    "s= \n"
    "c=IN IP4 host.atlanta.example.com\n"
    "t=0 0\n"
    "m=audio 49170 RTP/AVP 0 97\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:97 iLBC/8000\n"
    "m=audio 49172 RTP/AVP 98\n"
    "a=rtpmap:98 telephone-event/8000\n"
    "a=sendonly\n";

constexpr std::string_view kBobTwoAudioAnswer =
    "v=0\n"
    "o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\n"
    "s= \n"
    "c=IN IP4 host.biloxi.example.com\n"
    "t=0 0\n"
    "m=audio 49172 RTP/AVP 97\n"
    "a=rtpmap:97 iLBC/8000\n"
    "m=audio 49174 RTP/AVP 98\n"
    "a=rtpmap:98 telephone-event/8000\n"
    "a=recvonly\n";

LocalCapabilities alice_two_audio() {
  return alice(
      {stream("audio", 49170, {kPcmu, kIlbc}),
       stream("audio", 49172, {Codec::telephone_event(98, 8000, "")}, Direction::SendOnly)});
}

LocalCapabilities bob_two_audio() {
  return bob({stream("audio", 49172, {kIlbc}),
              stream("audio", 49174, {Codec::telephone_event(98, 8000, "")})});
}

TEST(Rfc4317, S2_4_TwoAudioStreams) {
  const SessionDescription offer = build_offer(alice_two_audio());
  EXPECT_EQ(serialize(offer), crlf(kAliceTwoAudioOffer));
  const Answer answer = answer_ok(offer, bob_two_audio());
  EXPECT_EQ(serialize(answer.sdp), crlf(kBobTwoAudioAnswer));
  ASSERT_EQ(answer.media.size(), 2u);
  EXPECT_EQ(answer.media[0].codecs.at(0).encoding_name, "iLBC");
  EXPECT_FALSE(answer.media[0].telephone_event);
  EXPECT_TRUE(answer.media[1].codecs.empty());
  ASSERT_TRUE(answer.media[1].telephone_event);
  EXPECT_EQ(answer.media[1].telephone_event->receive_payload_type, 98);
  EXPECT_EQ(answer.media[1].direction, Direction::RecvOnly);

  const auto negotiated = processed_ok(offer, answer.sdp);
  EXPECT_EQ(negotiated.at(0).direction, Direction::SendRecv);
  EXPECT_EQ(negotiated.at(1).direction, Direction::SendOnly);
  EXPECT_EQ(negotiated[1].telephone_event->send_payload_type, 98);
}

TEST(Rfc4317, S2_5_AudioAndVideo4UnchangedAnswerKeepsVersion) {
  const LocalCapabilities alice_caps =
      alice({stream("audio", 49170, {kIlbc}), stream("video", 51372, {kH261})});
  const SessionDescription offer = build_offer(alice_caps);
  const SessionDescription bob_second_offer = sdp_of(
      "v=0\n"
      "o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com\n"
      "s= \n"
      "c=IN IP4 newhost.biloxi.example.com\n"
      "t=0 0\n"
      "m=audio 49178 RTP/AVP 97\n"
      "a=rtpmap:97 iLBC/8000\n"
      "m=video 49188 RTP/AVP 31\n"
      "a=rtpmap:31 H261/90000\n");
  AnswerOptions options;
  options.previous = &offer;
  const Answer answer = answer_ok(bob_second_offer, alice_caps, options);
  EXPECT_EQ(answer.sdp, offer);  // same SDP, same version (2890844526)
  EXPECT_EQ(answer.media.at(0).remote_address, "newhost.biloxi.example.com");
  EXPECT_EQ(answer.media.at(1).remote_port, 49188);
}

TEST(Rfc4317, S2_6_AudioOnly1FirstStreamDeclined) {
  const SessionDescription offer = sdp_of(
      "v=0\n"
      "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\n"
      "s= \n"
      "c=IN IP4 host.atlanta.example.com\n"
      "t=0 0\n"
      "m=audio 49170 RTP/AVP 0\n"
      "a=rtpmap:0 PCMU/8000\n"
      "m=audio 51372 RTP/AVP 97 101\n"
      "a=rtpmap:97 iLBC/8000\n"
      "a=rtpmap:101 telephone-event/8000\n");
  const Answer answer = answer_ok(
      offer, bob({stream("audio", 49170, {kIlbc, Codec::telephone_event(101, 8000, "")})}));
  EXPECT_EQ(serialize(answer.sdp),
            crlf("v=0\n"
                 "o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\n"
                 "s= \n"
                 "c=IN IP4 host.biloxi.example.com\n"
                 "t=0 0\n"
                 "m=audio 0 RTP/AVP 0\n"
                 "a=rtpmap:0 PCMU/8000\n"
                 "m=audio 49170 RTP/AVP 97 101\n"
                 "a=rtpmap:97 iLBC/8000\n"
                 "a=rtpmap:101 telephone-event/8000\n"));
  EXPECT_FALSE(answer.media.at(0).accepted);
  EXPECT_TRUE(answer.media.at(1).telephone_event);
  const auto negotiated = processed_ok(offer, answer.sdp);
  EXPECT_FALSE(negotiated.at(0).accepted);
  EXPECT_EQ(negotiated.at(1).telephone_event->send_payload_type, 101);
}

constexpr std::string_view kAliceAudioOffer =
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\n"
    "s= \n"
    "c=IN IP4 host.atlanta.example.com\n"
    "t=0 0\n"
    "m=audio 49170 RTP/AVP 0 97\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:97 iLBC/8000\n";

TEST(Rfc4317, S3_1_HoldAndUnhold1) {
  const SessionDescription offer = build_offer(alice({stream("audio", 49170, {kPcmu, kIlbc})}));
  EXPECT_EQ(serialize(offer), crlf(kAliceAudioOffer));

  // Bob answers and puts Alice on hold at once.
  const Answer answer = answer_ok(offer, bob({stream("audio", 49172, {kIlbc}, Direction::SendOnly)},
                                             "placeholder.biloxi.example.com"));
  EXPECT_EQ(serialize(answer.sdp),
            crlf("v=0\n"
                 "o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\n"
                 "s= \n"
                 "c=IN IP4 placeholder.biloxi.example.com\n"
                 "t=0 0\n"
                 "m=audio 49172 RTP/AVP 97\n"
                 "a=rtpmap:97 iLBC/8000\n"
                 "a=sendonly\n"));
  const auto held = processed_ok(offer, answer.sdp);
  EXPECT_EQ(held.at(0).direction, Direction::RecvOnly);  // Alice may only receive
  EXPECT_TRUE(held[0].remote_hold);
  EXPECT_TRUE(is_hold(answer.sdp, 0));

  // Bob takes Alice off hold with a new address: version incremented.
  const SessionDescription second_offer =
      build_offer(bob({stream("audio", 49170, {kIlbc})}), &answer.sdp);
  EXPECT_EQ(serialize(second_offer),
            crlf("v=0\n"
                 "o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com\n"
                 "s= \n"
                 "c=IN IP4 host.biloxi.example.com\n"
                 "t=0 0\n"
                 "m=audio 49170 RTP/AVP 97\n"
                 "a=rtpmap:97 iLBC/8000\n"));
  EXPECT_FALSE(is_hold(second_offer, 0));

  // Alice answers from a new port.
  AnswerOptions options;
  options.previous = &offer;
  const Answer second_answer =
      answer_ok(second_offer, alice({stream("audio", 49178, {kPcmu, kIlbc})}), options);
  EXPECT_EQ(serialize(second_answer.sdp),
            crlf("v=0\n"
                 "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com\n"
                 "s= \n"
                 "c=IN IP4 host.atlanta.example.com\n"
                 "t=0 0\n"
                 "m=audio 49178 RTP/AVP 97\n"
                 "a=rtpmap:97 iLBC/8000\n"));
  EXPECT_EQ(second_answer.media.at(0).direction, Direction::SendRecv);
  EXPECT_FALSE(second_answer.media[0].remote_hold);
  const auto resumed = processed_ok(second_offer, second_answer.sdp);
  EXPECT_EQ(resumed.at(0).direction, Direction::SendRecv);
  EXPECT_EQ(resumed[0].remote_port, 49178);
}

TEST(Rfc4317, S3_2_HoldWithTwoStreams) {
  const SessionDescription offer = build_offer(alice_two_audio());
  const Answer answer = answer_ok(offer, bob_two_audio());
  ASSERT_EQ(serialize(answer.sdp), crlf(kBobTwoAudioAnswer));

  // Bob holds the voice stream only.
  const SessionDescription second_offer = hold(answer.sdp, 0);
  EXPECT_EQ(serialize(second_offer),
            crlf("v=0\n"
                 "o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com\n"
                 "s= \n"
                 "c=IN IP4 host.biloxi.example.com\n"
                 "t=0 0\n"
                 "m=audio 49172 RTP/AVP 97\n"
                 "a=rtpmap:97 iLBC/8000\n"
                 "a=sendonly\n"
                 "m=audio 49174 RTP/AVP 98\n"
                 "a=rtpmap:98 telephone-event/8000\n"
                 "a=recvonly\n"));
  EXPECT_TRUE(is_hold(second_offer, 0));
  EXPECT_FALSE(is_hold(second_offer, 1));

  // Our answer follows RFC 3264 6.1 (sendonly -> recvonly) and lists only offered formats,
  // where the RFC 4317 text repeats Alice's first offer verbatim.
  AnswerOptions options;
  options.previous = &offer;
  const Answer second_answer = answer_ok(second_offer, alice_two_audio(), options);
  EXPECT_EQ(serialize(second_answer.sdp),
            crlf("v=0\n"
                 "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com\n"
                 "s= \n"
                 "c=IN IP4 host.atlanta.example.com\n"
                 "t=0 0\n"
                 "m=audio 49170 RTP/AVP 97\n"
                 "a=rtpmap:97 iLBC/8000\n"
                 "a=recvonly\n"
                 "m=audio 49172 RTP/AVP 98\n"
                 "a=rtpmap:98 telephone-event/8000\n"
                 "a=sendonly\n"));
  EXPECT_TRUE(second_answer.media.at(0).remote_hold);
  EXPECT_EQ(second_answer.media[0].direction, Direction::RecvOnly);
  EXPECT_EQ(second_answer.media.at(1).direction, Direction::SendOnly);

  // The RFC's literal answer (sendrecv, PCMU added) is still understood by Bob: he may only
  // send on the held stream, and PCMU, which he did not offer, is set aside.
  const SessionDescription rfc_answer = sdp_of(
      "v=0\n"
      "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com\n"
      "s= \n"
      "c=IN IP4 host.atlanta.example.com\n"
      "t=0 0\n"
      "m=audio 49170 RTP/AVP 0 97\n"
      "a=rtpmap:0 PCMU/8000\n"
      "a=rtpmap:97 iLBC/8000\n"
      "m=audio 49172 RTP/AVP 98\n"
      "a=rtpmap:98 telephone-event/8000\n"
      "a=sendonly\n");
  const auto negotiated = processed_ok(second_offer, rfc_answer);
  EXPECT_EQ(negotiated.at(0).direction, Direction::SendOnly);
  EXPECT_EQ(negotiated[0].codecs.size(), 1u);
  EXPECT_EQ(negotiated[0].unmatched_formats, std::vector<std::string>{"0"});
  EXPECT_EQ(negotiated.at(1).direction, Direction::RecvOnly);

  // Taking the hold back: the stream spelt its direction out, so it says sendrecv explicitly.
  const SessionDescription third_offer = unhold(second_offer, 0);
  EXPECT_EQ(third_offer.origin.session_version, 2808844566u);
  EXPECT_EQ(third_offer.media[0].attributes.back(), (Attribute{"sendrecv", std::nullopt}));
  EXPECT_EQ(third_offer.media[1], second_offer.media[1]);
}

}  // namespace
}  // namespace kolokol::sdp
