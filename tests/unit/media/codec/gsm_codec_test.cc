#include "media/codec/gsm_codec.h"

#include <gtest/gtest.h>

#include <vector>

#include "audio_measure.h"

namespace kolokol::media {
namespace {

using testing::Pcm;
using Bytes = std::vector<std::uint8_t>;

struct GsmPair {
  AudioEncoderPtr encoder;
  AudioDecoderPtr decoder;
};
GsmPair make_pair() {
  auto encoder = make_gsm_encoder();
  auto decoder = make_gsm_decoder();
  EXPECT_TRUE(encoder && decoder);
  return {std::move(*encoder), std::move(*decoder)};
}

class GsmTone : public ::testing::TestWithParam<double> {};

TEST_P(GsmTone, SurvivesEncodeAndDecode) {
  auto [encoder, decoder] = make_pair();
  const Pcm tone = testing::sine(8000, GetParam(), 8000);
  auto result = testing::round_trip(*encoder, *decoder, tone, 160);
  ASSERT_EQ(result.decoded.size(), tone.size());
  for (std::size_t size : result.payload_sizes) EXPECT_EQ(size, 33u);
  const std::span<const std::int16_t> settled = std::span(result.decoded).subspan(800);
  EXPECT_NEAR(testing::dominant_frequency(settled, 8000, 100, 3900, 10), GetParam(), 10);
  // Built for speech, not tones: the waveform is kept roughly, the level closely.
  EXPECT_GT(testing::aligned_snr_db(tone, result.decoded, 400, 800), 15);
  const double ratio = testing::rms(settled) / testing::rms(tone);
  EXPECT_GT(ratio, 0.5);
  EXPECT_LT(ratio, 1.5);
}

INSTANTIATE_TEST_SUITE_P(Tones, GsmTone, ::testing::Values(440.0, 1000.0));

TEST(Gsm, EncodesWholeFramesOnly) {
  auto [encoder, decoder] = make_pair();
  Bytes payload(99);
  const Pcm pcm = testing::sine(8000, 440, 480);
  ASSERT_EQ(*encoder->encode(pcm, payload), 99u);  // 60 ms: three frames
  for (std::size_t offset : {0u, 33u, 66u}) EXPECT_EQ(payload[offset] >> 4, 0xd);
  EXPECT_EQ(encoder->encode(std::span(pcm).first(200), payload).error(), CodecError::BadInput);
  Bytes small(32);
  EXPECT_EQ(encoder->encode(std::span(pcm).first(160), small).error(), CodecError::OutputTooSmall);
  EXPECT_EQ(encoder->max_payload_size(320), 66u);
}

TEST(Gsm, RefusesGarbageAndWrongSizes) {
  auto [encoder, decoder] = make_pair();
  Pcm out(480);
  EXPECT_EQ(decoder->decode({}, out).error(), CodecError::BadPayload);
  EXPECT_EQ(decoder->decode(Bytes(32, 0xd0), out).error(), CodecError::BadPayload);
  EXPECT_EQ(decoder->decode(Bytes(34, 0xd0), out).error(), CodecError::BadPayload);
  EXPECT_EQ(decoder->decode(Bytes(33, 0x42), out).error(), CodecError::BadPayload);  // no 0xD
  Bytes second_bad(66, 0xd0);
  second_bad[33] = 0x00;
  EXPECT_EQ(decoder->decode(second_bad, out).error(), CodecError::BadPayload);
  EXPECT_EQ(decoder->decode(Bytes(33 * 4, 0xd0), out).error(), CodecError::OutputTooSmall);
  EXPECT_EQ(*decoder->decode(Bytes(33, 0xd0), out), 160u);
}

TEST(Gsm, ConcealsOnePacketOfSound) {
  auto [encoder, decoder] = make_pair();
  const Pcm tone = testing::sine(8000, 300, 1600);
  auto result = testing::round_trip(*encoder, *decoder, tone, 160);
  Pcm out(160);
  ASSERT_EQ(*decoder->conceal(out), 160u);
  EXPECT_GT(testing::rms(std::span(out).first(80)), 0.3 * testing::rms(tone));
}

}  // namespace
}  // namespace kolokol::media
