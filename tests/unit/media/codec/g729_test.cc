#include "media/codec/g729.h"

#include <gtest/gtest.h>

#include <vector>

#include "audio_measure.h"

namespace kolokol::media {
namespace {

using testing::Pcm;
using Bytes = std::vector<std::uint8_t>;

AudioEncoderPtr encoder(bool vad = false) {
  auto made = make_g729_encoder(vad);
  EXPECT_TRUE(made);
  return made ? std::move(*made) : nullptr;
}
AudioDecoderPtr decoder() {
  auto made = make_g729_decoder();
  EXPECT_TRUE(made);
  return made ? std::move(*made) : nullptr;
}

class G729Tone : public ::testing::TestWithParam<double> {};

TEST_P(G729Tone, SurvivesEncodeAndDecodeIn20MsPackets) {
  auto enc = encoder();
  auto dec = decoder();
  ASSERT_EQ(enc->samples_per_frame(), 160u);
  const Pcm tone = testing::sine(8000, GetParam(), 8000);
  auto result = testing::round_trip(*enc, *dec, tone, 160);
  ASSERT_EQ(result.decoded.size(), tone.size());
  for (std::size_t size : result.payload_sizes) EXPECT_EQ(size, 20u);  // two 10-byte frames
  const std::span<const std::int16_t> settled = std::span(result.decoded).subspan(800);
  EXPECT_NEAR(testing::dominant_frequency(settled, 8000, 100, 3900, 10), GetParam(), 10);
  // Built for speech, not tones: the waveform is kept roughly, the level closely.
  EXPECT_GT(testing::aligned_snr_db(tone, result.decoded, 400, 800), 6);
  const double ratio = testing::rms(settled) / testing::rms(tone);
  EXPECT_GT(ratio, 0.5);
  EXPECT_LT(ratio, 1.5);
}

INSTANTIATE_TEST_SUITE_P(Tones, G729Tone, ::testing::Values(440.0, 1000.0));

TEST(G729, FramesAre10BytesPer10Ms) {
  auto enc = encoder();
  Bytes payload(100);
  const Pcm tone = testing::sine(8000, 440, 480);
  EXPECT_EQ(*enc->encode(std::span(tone).first(80), payload), 10u);
  EXPECT_EQ(*enc->encode(std::span(tone).subspan(80, 240), payload), 30u);
  EXPECT_EQ(enc->max_payload_size(160), 20u);
  EXPECT_EQ(enc->encode(std::span(tone).first(100), payload).error(), CodecError::BadInput);
  Bytes small(19);
  EXPECT_EQ(enc->encode(std::span(tone).first(160), small).error(), CodecError::OutputTooSmall);
}

TEST(G729, RefusesPayloadsThatAreNotFramesAndAnOptionalSid) {
  auto dec = decoder();
  Pcm out(800);
  EXPECT_EQ(dec->decode({}, out).error(), CodecError::BadPayload);
  for (std::size_t size : {1u, 3u, 9u, 11u, 13u, 21u, 25u}) {
    EXPECT_EQ(dec->decode(Bytes(size, 0x5a), out).error(), CodecError::BadPayload) << size;
  }
  EXPECT_EQ(dec->decode(Bytes(200, 0x5a), out).error(), CodecError::OutputTooSmall);
  // Garbage bits of the right size are still a G.729 frame: decoded, never over-read.
  EXPECT_EQ(*dec->decode(Bytes(20, 0xa5), out), 160u);
}

TEST(G729, DecodesSidFramesAsComfortNoise) {
  auto enc = encoder(/*vad=*/true);
  auto dec = decoder();
  // Speech-like start, then a long near-silence where DTX sends SIDs or nothing.
  Pcm signal = testing::sine(8000, 440, 8000, 8000);
  for (std::size_t i = 4000; i < signal.size(); ++i) signal[i] = static_cast<std::int16_t>(i % 3);
  Bytes payload(20);
  Pcm out(160);
  std::size_t sids = 0;
  std::size_t silent = 0;
  for (std::size_t offset = 0; offset < signal.size(); offset += 80) {
    auto size = enc->encode(std::span(signal).subspan(offset, 80), payload);
    ASSERT_TRUE(size);
    ASSERT_TRUE(*size == 0 || *size == 2 || *size == 10) << *size;
    if (*size == 0) {
      ++silent;
      continue;
    }
    if (*size == 2) ++sids;
    ASSERT_EQ(*dec->decode(std::span(payload).first(*size), out), 80u);
  }
  EXPECT_GT(sids, 0u);
  EXPECT_GT(silent, 0u);
  // A packet of speech frames may end with a SID.
  EXPECT_EQ(*dec->decoded_samples(Bytes(22, 0)), 240u);
  EXPECT_EQ(*dec->decode(Bytes(2, 0x11), out), 80u);
}

TEST(G729, ConcealsWithTheFrameErasureProcedure) {
  auto enc = encoder();
  auto dec = decoder();
  const Pcm tone = testing::sine(8000, 500, 4000);
  auto result = testing::round_trip(*enc, *dec, tone, 160);
  Pcm out(160);
  ASSERT_EQ(*dec->conceal(out), 160u);
  EXPECT_GT(testing::rms(out), 0.3 * testing::rms(tone));
  EXPECT_NEAR(testing::dominant_frequency(out, 8000, 100, 3900, 50), 500, 50);
}

}  // namespace
}  // namespace kolokol::media
