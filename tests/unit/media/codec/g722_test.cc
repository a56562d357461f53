#include "media/codec/g722.h"

#include <gtest/gtest.h>

#include <vector>

#include "audio_measure.h"

namespace kolokol::media {
namespace {

using testing::Pcm;

struct G722Pair {
  AudioEncoderPtr encoder;
  AudioDecoderPtr decoder;
};
G722Pair make_pair() {
  auto encoder = make_g722_encoder();
  auto decoder = make_g722_decoder();
  EXPECT_TRUE(encoder && decoder);
  return {std::move(*encoder), std::move(*decoder)};
}

class G722Tone : public ::testing::TestWithParam<double> {};

// 5 kHz is beyond narrowband telephony: it only survives if the codec really is wideband.
TEST_P(G722Tone, SurvivesEncodeAndDecodeAt16Khz) {
  auto [encoder, decoder] = make_pair();
  ASSERT_EQ(encoder->sample_rate(), 16000u);
  ASSERT_EQ(encoder->samples_per_frame(), 320u);
  const Pcm tone = testing::sine(16000, GetParam(), 16000);
  auto result = testing::round_trip(*encoder, *decoder, tone, 320);
  ASSERT_EQ(result.decoded.size(), tone.size());
  for (std::size_t size : result.payload_sizes) EXPECT_EQ(size, 160u);  // 64 kbit/s
  EXPECT_NEAR(testing::dominant_frequency(result.decoded, 16000, 100, 7500, 10), GetParam(), 10);
  EXPECT_GT(testing::aligned_snr_db(tone, result.decoded, 64, 320), 18);  // 5 kHz: ~22 dB
}

INSTANTIATE_TEST_SUITE_P(Tones, G722Tone, ::testing::Values(440.0, 1000.0, 5000.0));

TEST(G722, RefusesEmptyOddAndOversizedInput) {
  auto [encoder, decoder] = make_pair();
  std::vector<std::uint8_t> payload(160, 0x12);
  Pcm out(319);
  EXPECT_EQ(decoder->decode({}, out).error(), CodecError::BadPayload);
  EXPECT_EQ(decoder->decode(payload, out).error(), CodecError::OutputTooSmall);
  const Pcm odd(321);
  EXPECT_EQ(encoder->encode(odd, payload).error(), CodecError::BadInput);
  const Pcm frame(320);
  std::vector<std::uint8_t> short_payload(159);
  EXPECT_EQ(encoder->encode(frame, short_payload).error(), CodecError::OutputTooSmall);
  EXPECT_EQ(encoder->max_payload_size(320), 160u);
}

TEST(G722, ConcealsOnePacketOfSound) {
  auto [encoder, decoder] = make_pair();
  const Pcm tone = testing::sine(16000, 300, 1600);
  auto result = testing::round_trip(*encoder, *decoder, tone, 320);
  Pcm out(320);
  ASSERT_EQ(*decoder->conceal(out), 320u);
  EXPECT_GT(testing::rms(std::span(out).first(160)), 0.3 * testing::rms(tone));
  EXPECT_EQ(testing::dominant_frequency(out, 16000, 100, 7500, 50), 300);
  EXPECT_EQ(decoder->recover_from_next(std::vector<std::uint8_t>(160), out).error(),
            CodecError::Unsupported);
}

}  // namespace
}  // namespace kolokol::media
