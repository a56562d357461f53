#include "media/codec/g711.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "audio_measure.h"

namespace kolokol::media {
namespace {

using testing::Pcm;

TEST(G711, EveryALawCodeDecodesAndReencodesToItself) {
  for (int code = 0; code < 256; ++code) {
    const auto byte = static_cast<std::uint8_t>(code);
    EXPECT_EQ(linear_to_alaw(alaw_to_linear(byte)), byte) << "code " << code;
  }
}

TEST(G711, EveryMuLawCodeDecodesAndReencodesToItself) {
  for (int code = 0; code < 256; ++code) {
    const auto byte = static_cast<std::uint8_t>(code);
    if (byte == 0x7f) continue;  // negative zero, checked below
    EXPECT_EQ(linear_to_ulaw(ulaw_to_linear(byte)), byte) << "code " << code;
  }
  // mu-law has two zeros; linear 0 can only come back as one of them, the positive one.
  EXPECT_EQ(ulaw_to_linear(0x7f), 0);
  EXPECT_EQ(ulaw_to_linear(0xff), 0);
  EXPECT_EQ(linear_to_ulaw(0), 0xff);
}

TEST(G711, DecodesToTheValuesOfTheRecommendation) {
  EXPECT_EQ(ulaw_to_linear(0x80), 32124);  // largest positive
  EXPECT_EQ(ulaw_to_linear(0x00), -32124);
  EXPECT_EQ(ulaw_to_linear(0xfe), 8);  // smallest non-zero steps
  EXPECT_EQ(ulaw_to_linear(0x7e), -8);
  EXPECT_EQ(alaw_to_linear(0xaa), 32256);
  EXPECT_EQ(alaw_to_linear(0x2a), -32256);
  EXPECT_EQ(alaw_to_linear(0xd5), 8);
  EXPECT_EQ(alaw_to_linear(0x55), -8);
  EXPECT_EQ(linear_to_alaw(32767), 0xaa);  // beyond the last level: clipped
  EXPECT_EQ(linear_to_alaw(-32768), 0x2a);
  EXPECT_EQ(linear_to_ulaw(32767), 0x80);
  EXPECT_EQ(linear_to_ulaw(-32768), 0x00);
}

// Every 16-bit sample lands on the nearest level: the quantiser never reverses order and never
// errs by more than half of its largest step (512) plus the clipping margin at full scale.
TEST(G711, QuantisesEverySampleMonotonicallyAndClosely) {
  int previous_mu = -32768;
  int previous_a = -32768;
  for (int sample = -32768; sample <= 32767; ++sample) {
    const auto value = static_cast<std::int16_t>(sample);
    const int mu = ulaw_to_linear(linear_to_ulaw(value));
    const int a = alaw_to_linear(linear_to_alaw(value));
    ASSERT_GE(mu, previous_mu) << sample;
    ASSERT_GE(a, previous_a) << sample;
    ASSERT_LE(std::abs(mu - sample), sample > 32124 + 512 || sample < -32124 - 512 ? 644 : 512)
        << sample;
    ASSERT_LE(std::abs(a - sample), 512) << sample;
    previous_mu = mu;
    previous_a = a;
  }
}

class G711LawTest : public ::testing::TestWithParam<media::G711Law> {};

TEST_P(G711LawTest, SineSurvivesWithOver30DbSnr) {
  auto encoder = make_g711_encoder(GetParam());
  auto decoder = make_g711_decoder(GetParam());
  const Pcm tone = testing::sine(8000, 1000, 8000);
  auto result = testing::round_trip(*encoder, *decoder, tone, 160);
  ASSERT_EQ(result.decoded.size(), tone.size());
  for (std::size_t size : result.payload_sizes) EXPECT_EQ(size, 160u);
  EXPECT_GT(testing::aligned_snr_db(tone, result.decoded, 0, 0), 30);
  EXPECT_EQ(testing::dominant_frequency(result.decoded, 8000, 100, 3900, 50), 1000);
}

TEST_P(G711LawTest, RefusesEmptyPayloadsAndShortBuffers) {
  auto encoder = make_g711_encoder(GetParam());
  auto decoder = make_g711_decoder(GetParam());
  std::vector<std::uint8_t> payload(160, 0x55);
  Pcm out(159);
  EXPECT_EQ(decoder->decode({}, out).error(), CodecError::BadPayload);
  EXPECT_EQ(decoder->decode(payload, out).error(), CodecError::OutputTooSmall);
  const Pcm pcm(160);
  std::vector<std::uint8_t> short_payload(159);
  EXPECT_EQ(encoder->encode(pcm, short_payload).error(), CodecError::OutputTooSmall);
  EXPECT_EQ(encoder->encode({}, payload).error(), CodecError::BadInput);
  EXPECT_EQ(encoder->max_payload_size(160), 160u);
}

// Losses are filled by repeating the recent waveform, fading to silence after 50 ms.
TEST_P(G711LawTest, ConcealsALossWithTheRecentSoundThenFades) {
  auto encoder = make_g711_encoder(GetParam());
  auto decoder = make_g711_decoder(GetParam());
  const Pcm tone = testing::sine(8000, 400, 800);
  auto result = testing::round_trip(*encoder, *decoder, tone, 160);
  ASSERT_EQ(result.decoded.size(), 800u);

  Pcm first(160);
  ASSERT_EQ(decoder->concealment_samples(), 160u);
  ASSERT_EQ(*decoder->conceal(first), 160u);
  EXPECT_GT(testing::rms(std::span(first).first(80)), 0.5 * testing::rms(tone));
  EXPECT_EQ(testing::dominant_frequency(first, 8000, 100, 3900, 50), 400);
  Pcm later(160);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(decoder->conceal(later));
  EXPECT_EQ(testing::rms(later), 0);
  Pcm small(100);
  EXPECT_EQ(decoder->conceal(small).error(), CodecError::OutputTooSmall);
}

TEST_P(G711LawTest, PacketDurationFollowsThePayload) {
  auto decoder = make_g711_decoder(GetParam());
  std::vector<std::uint8_t> payload(240, 0xd5);  // 30 ms
  Pcm out(480);
  ASSERT_EQ(*decoder->decode(payload, out), 240u);
  EXPECT_EQ(decoder->concealment_samples(), 240u);
  EXPECT_EQ(*decoder->conceal(out), 240u);
  EXPECT_FALSE(decoder->recover_from_next(payload, out));
}

INSTANTIATE_TEST_SUITE_P(Laws, G711LawTest,
                         ::testing::Values(media::G711Law::MuLaw, media::G711Law::ALaw));

}  // namespace
}  // namespace kolokol::media
