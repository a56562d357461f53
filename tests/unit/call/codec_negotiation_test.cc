// Codec negotiation across an anchored call: what the PBX adds to an offer it relays, and how it
// answers the offerer when the answerer picked a codec only the PBX offered.
#include "call/codec_negotiation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sdp/attributes.h"
#include "sdp/parser.h"

namespace kolokol::call {
namespace {

using media::CodecId;
using media::LegCodec;
using Formats = std::vector<std::string>;

std::string session(const std::string& address, const std::string& media) {
  return "v=0\r\no=- 7 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n" +
         media;
}

sdp::SessionDescription parsed(const std::string& text) {
  auto result = sdp::parse(text);
  EXPECT_TRUE(result) << text;
  return result ? result.value() : sdp::SessionDescription{};
}

// A phone offering only PCMA, with its events on the first dynamic type.
const std::string kPcmaOffer = session("192.168.1.20",
                                       "m=audio 16384 RTP/AVP 8 96\r\n"
                                       "a=rtpmap:8 PCMA/8000\r\n"
                                       "a=rtpmap:96 telephone-event/8000\r\n"
                                       "a=fmtp:96 0-16\r\n"
                                       "a=sendrecv\r\n");

std::optional<std::string> rtpmap_text(const sdp::MediaDescription& m, std::uint8_t type) {
  auto map = sdp::rtpmap_for(m, type);
  if (!map) return std::nullopt;
  std::string out = map->encoding_name + "/" + std::to_string(map->clock_rate);
  if (map->channels) out += "/" + std::to_string(*map->channels);
  return out;
}

std::size_t count_attributes(const sdp::MediaDescription& m, const std::string& name) {
  return sdp::find_attributes(m.attributes, name).size();
}

TEST(OfferTranscodableCodecs, PcmaOfferGetsEveryOtherCodecAfterItsOwn) {
  sdp::SessionDescription offer = parsed(kPcmaOffer);
  offer_transcodable_codecs(offer);
  ASSERT_EQ(offer.media.size(), 1u);
  const sdp::MediaDescription& m = offer.media[0];
  // Originals first and in order; opus takes the first dynamic type that is free (96 is taken).
  EXPECT_EQ(m.formats, (Formats{"8", "96", "0", "9", "97", "18", "3"}));
  EXPECT_EQ(rtpmap_text(m, 8), "PCMA/8000");
  EXPECT_EQ(rtpmap_text(m, 96), "telephone-event/8000");
  EXPECT_EQ(rtpmap_text(m, 0), "PCMU/8000");
  EXPECT_EQ(rtpmap_text(m, 9), "G722/8000");
  EXPECT_EQ(rtpmap_text(m, 97), "opus/48000/2");
  EXPECT_EQ(rtpmap_text(m, 18), "G729/8000");
  EXPECT_EQ(rtpmap_text(m, 3), "GSM/8000");
  EXPECT_EQ(sdp::fmtp_for(m, "97"), "minptime=10;useinbandfec=1");
  EXPECT_EQ(sdp::fmtp_for(m, "18"), "annexb=no");
  EXPECT_EQ(sdp::fmtp_for(m, "96"), "0-16");  // the offerer's own is untouched
  EXPECT_EQ(count_attributes(m, "rtpmap"), 7u);
  EXPECT_EQ(count_attributes(m, "fmtp"), 3u);
  EXPECT_TRUE(sdp::has_attribute(m.attributes, "sendrecv"));
}

TEST(OfferTranscodableCodecs, CodecsAlreadyListedAreNotRepeated) {
  sdp::SessionDescription offer = parsed(session("192.168.1.20",
                                                 "m=audio 16384 RTP/AVP 111 0 101\r\n"
                                                 "a=rtpmap:111 OPUS/48000/2\r\n"
                                                 "a=rtpmap:101 telephone-event/48000\r\n"));
  offer_transcodable_codecs(offer);
  const sdp::MediaDescription& m = offer.media[0];
  EXPECT_EQ(m.formats, (Formats{"111", "0", "101", "8", "9", "18", "3"}));
  EXPECT_EQ(count_attributes(m, "rtpmap"), 2u + 4u);
  EXPECT_FALSE(sdp::fmtp_for(m, "96"));  // no second opus
}

TEST(OfferTranscodableCodecs, OnlyAnUnknownCodecGetsNothing) {
  const std::string text = session("192.168.1.20",
                                   "m=audio 16384 RTP/AVP 97 101\r\n"
                                   "a=rtpmap:97 iLBC/8000\r\n"
                                   "a=fmtp:97 mode=30\r\n"
                                   "a=rtpmap:101 telephone-event/8000\r\n");
  sdp::SessionDescription offer = parsed(text);
  const sdp::SessionDescription before = offer;
  offer_transcodable_codecs(offer);
  EXPECT_EQ(offer, before);
}

TEST(OfferTranscodableCodecs, OnlyTheFirstLiveAudioStreamIsExtended) {
  sdp::SessionDescription offer = parsed(session("192.168.1.20",
                                                 "m=audio 0 RTP/AVP 0\r\n"
                                                 "m=audio 16384 RTP/AVP 8\r\n"
                                                 "m=video 16386 RTP/AVP 96\r\n"
                                                 "a=rtpmap:96 VP8/90000\r\n"));
  offer_transcodable_codecs(offer);
  ASSERT_EQ(offer.media.size(), 3u);
  EXPECT_EQ(offer.media[0].formats, (Formats{"0"}));
  EXPECT_EQ(offer.media[1].formats, (Formats{"8", "0", "9", "96", "18", "3"}));
  EXPECT_EQ(rtpmap_text(offer.media[1], 96), "opus/48000/2");
  EXPECT_EQ(offer.media[2].formats, (Formats{"96"}));
}

TEST(ChosenCodec, FirstSupportedFormatAndTheEventType) {
  const auto chosen = chosen_codec(parsed(session("192.0.2.1",
                                                  "m=audio 4000 RTP/AVP 97 101 8 0\r\n"
                                                  "a=rtpmap:97 iLBC/8000\r\n"
                                                  "a=rtpmap:101 telephone-event/8000\r\n")));
  ASSERT_TRUE(chosen);
  EXPECT_EQ(*chosen, (LegCodec{CodecId::Pcma, 8, 101}));
  EXPECT_FALSE(chosen_codec(parsed(session("192.0.2.1",
                                           "m=audio 4000 RTP/AVP 97\r\n"
                                           "a=rtpmap:97 iLBC/8000\r\n"))));
}

TEST(PlanAnswer, CommonCodecKeepsOnlyWhatTheOffererListed) {
  const sdp::SessionDescription offer = parsed(kPcmaOffer);
  sdp::SessionDescription relayed = offer;
  offer_transcodable_codecs(relayed);
  // The answerer takes PCMA but echoes a few of the added codecs too.
  const sdp::SessionDescription answer = parsed(session("10.0.0.3",
                                                        "m=audio 20000 RTP/AVP 8 9 97 96\r\n"
                                                        "a=rtpmap:8 PCMA/8000\r\n"
                                                        "a=rtpmap:9 G722/8000\r\n"
                                                        "a=rtpmap:97 opus/48000/2\r\n"
                                                        "a=fmtp:97 minptime=10;useinbandfec=1\r\n"
                                                        "a=rtpmap:96 telephone-event/8000\r\n"
                                                        "a=fmtp:96 0-15\r\n"
                                                        "a=ptime:20\r\n"));
  const AnswerPlan plan = plan_answer(offer, answer);
  EXPECT_FALSE(plan.transcode);
  ASSERT_EQ(plan.answer.media.size(), 1u);
  const sdp::MediaDescription& m = plan.answer.media[0];
  EXPECT_EQ(m.formats, (Formats{"8", "96"}));
  EXPECT_EQ(rtpmap_text(m, 8), "PCMA/8000");
  EXPECT_EQ(rtpmap_text(m, 96), "telephone-event/8000");
  EXPECT_FALSE(sdp::rtpmap_for(m, 9));
  EXPECT_FALSE(sdp::rtpmap_for(m, 97));
  EXPECT_FALSE(sdp::fmtp_for(m, "97"));
  EXPECT_EQ(sdp::fmtp_for(m, "96"), "0-15");  // the answerer's own
  EXPECT_EQ(sdp::attribute_value(m.attributes, "ptime"), "20");
  EXPECT_EQ(plan.answer.origin.address, "10.0.0.3");  // anchoring rewrites it later
}

// The offerer has PCMA + events on 101; the PBX added opus; the answerer only speaks opus.
TEST(PlanAnswer, AnswererChoseAnAddedCodec) {
  const sdp::SessionDescription offer = parsed(session("192.168.1.20",
                                                       "m=audio 16384 RTP/AVP 8 101\r\n"
                                                       "a=rtpmap:8 PCMA/8000\r\n"
                                                       "a=rtpmap:101 telephone-event/8000\r\n"
                                                       "a=fmtp:101 0-16\r\n"
                                                       "a=sendrecv\r\n"));
  sdp::SessionDescription relayed = offer;
  offer_transcodable_codecs(relayed);
  const auto opus_type = [&]() -> std::uint8_t {
    for (const std::string& format : relayed.media[0].formats) {
      const auto type = static_cast<std::uint8_t>(std::stoi(format));
      auto map = sdp::rtpmap_for(relayed.media[0], type);
      if (map && map->encoding_name == "opus") return type;
    }
    ADD_FAILURE() << "no opus offered";
    return 0;
  }();
  EXPECT_EQ(opus_type, 96);
  // Events on a type of its own choosing (RFC 3264 allows it for a format it adds).
  const std::string opus = std::to_string(opus_type);
  std::string media = "m=audio 20000 RTP/AVP " + opus + " 100\r\n";
  media += "a=rtpmap:" + opus + " opus/48000/2\r\n";
  media += "a=fmtp:" + opus + " useinbandfec=1\r\n";
  media += "a=rtpmap:100 telephone-event/48000\r\na=fmtp:100 0-15\r\na=sendrecv\r\n";
  const sdp::SessionDescription answer = parsed(session("10.0.0.3", media));
  const AnswerPlan plan = plan_answer(offer, answer);
  ASSERT_EQ(plan.answer.media.size(), 1u);
  const sdp::MediaDescription& m = plan.answer.media[0];
  EXPECT_EQ(m.formats, (Formats{"8", "101"}));
  EXPECT_EQ(rtpmap_text(m, 8), "PCMA/8000");
  EXPECT_EQ(rtpmap_text(m, 101), "telephone-event/8000");
  EXPECT_EQ(sdp::fmtp_for(m, "101"), "0-16");  // the offerer's, not the answerer's 0-15
  EXPECT_EQ(count_attributes(m, "rtpmap"), 2u);
  EXPECT_EQ(count_attributes(m, "fmtp"), 1u);
  EXPECT_TRUE(sdp::has_attribute(m.attributes, "sendrecv"));
  ASSERT_TRUE(plan.transcode);
  EXPECT_EQ(plan.transcode->first, (LegCodec{CodecId::Pcma, 8, 101, 8000}));
  // The answerer's events count at its own telephone-event clock.
  EXPECT_EQ(plan.transcode->second, (LegCodec{CodecId::Opus, opus_type, 100, 48000}));
  // What the offerer gets back is a plain answer to its own offer.
  EXPECT_EQ(chosen_codec(plan.answer), plan.transcode->first);
}

// The answerer echoes the offerer's event type: a format in common, but no audio one.
TEST(PlanAnswer, SharedEventTypeAloneIsNotACommonCodec) {
  const sdp::SessionDescription offer = parsed(session("192.168.1.20",
                                                       "m=audio 16384 RTP/AVP 8 101\r\n"
                                                       "a=rtpmap:101 telephone-event/8000\r\n"));
  const sdp::SessionDescription answer = parsed(session("10.0.0.3",
                                                        "m=audio 20000 RTP/AVP 96 101\r\n"
                                                        "a=rtpmap:96 opus/48000/2\r\n"
                                                        "a=rtpmap:101 telephone-event/8000\r\n"));
  const AnswerPlan plan = plan_answer(offer, answer);
  ASSERT_TRUE(plan.transcode);
  EXPECT_EQ(plan.answer.media[0].formats, (Formats{"8", "101"}));
  EXPECT_FALSE(sdp::rtpmap_for(plan.answer.media[0], 96));
  EXPECT_EQ(plan.transcode->first, (LegCodec{CodecId::Pcma, 8, 101}));
  EXPECT_EQ(plan.transcode->second, (LegCodec{CodecId::Opus, 96, 101}));
}

TEST(PlanAnswer, EventsOnlyWhenBothLegsHaveThem) {
  const std::string pcma_events =
      "m=audio 16384 RTP/AVP 8 101\r\n"
      "a=rtpmap:101 telephone-event/8000\r\n";
  const std::string pcma_alone = "m=audio 16384 RTP/AVP 8\r\n";
  const std::string g722_events =
      "m=audio 20000 RTP/AVP 9 101\r\n"
      "a=rtpmap:9 G722/8000\r\n"
      "a=rtpmap:101 telephone-event/8000\r\n";
  const std::string g722_alone = "m=audio 20000 RTP/AVP 9\r\n";
  struct Case {
    std::string offer, answer;
  };
  for (const Case& c : {Case{pcma_events, g722_alone}, Case{pcma_alone, g722_events}}) {
    const AnswerPlan plan = plan_answer(parsed(session("192.168.1.20", c.offer)),
                                        parsed(session("10.0.0.3", c.answer)));
    ASSERT_EQ(plan.answer.media.size(), 1u);
    EXPECT_EQ(plan.answer.media[0].formats, (Formats{"8"})) << c.offer << c.answer;
    EXPECT_FALSE(sdp::rtpmap_for(plan.answer.media[0], 101));
    EXPECT_FALSE(sdp::rtpmap_for(plan.answer.media[0], 9));
    ASSERT_TRUE(plan.transcode);
    EXPECT_EQ(plan.transcode->first, (LegCodec{CodecId::Pcma, 8, std::nullopt}));
    EXPECT_EQ(plan.transcode->second, (LegCodec{CodecId::G722, 9, std::nullopt}));
  }
}

// Nothing the PBX can transcode on the answerer's side: the answer goes through as it is.
TEST(PlanAnswer, UnknownAnswererCodecGivesNoPlan) {
  const sdp::SessionDescription answer = parsed(session("10.0.0.3",
                                                        "m=audio 20000 RTP/AVP 97\r\n"
                                                        "a=rtpmap:97 iLBC/8000\r\n"));
  const AnswerPlan plan = plan_answer(parsed(kPcmaOffer), answer);
  EXPECT_FALSE(plan.transcode);
  EXPECT_EQ(plan.answer, answer);
}

}  // namespace
}  // namespace kolokol::call
