#include "media/codec/codec_factory.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "audio_measure.h"

namespace kolokol::media {
namespace {

using testing::Pcm;

class EveryCodec : public ::testing::TestWithParam<CodecId> {};

// One second of a 20 ms-framed tone through each codec the factory makes: the tone is still the
// strongest thing in what comes out, and the payload sizes are the standards' (opus varies).
// Run under ASan/LSan this is also the leak check of every codec's create/use/destroy cycle.
TEST_P(EveryCodec, RoundTripKeepsTheTone) {
  const CodecId id = GetParam();
  auto encoder = make_encoder(id);
  auto decoder = make_decoder(id);
  ASSERT_TRUE(encoder) << codec_error_name(encoder.error());
  ASSERT_TRUE(decoder) << codec_error_name(decoder.error());
  const CodecInfo& info = codec_info(id);
  EXPECT_EQ((*encoder)->codec(), id);
  EXPECT_EQ((*decoder)->codec(), id);
  EXPECT_EQ((*encoder)->sample_rate(), info.sample_rate);
  EXPECT_EQ((*decoder)->sample_rate(), info.sample_rate);
  const std::size_t frame = (*encoder)->samples_per_frame();
  EXPECT_EQ(frame, info.samples_per_packet());

  const Pcm tone = testing::sine(info.sample_rate, 700, info.sample_rate);
  auto result = testing::round_trip(**encoder, **decoder, tone, frame);
  ASSERT_EQ(result.decoded.size(), tone.size());
  for (std::size_t size : result.payload_sizes) {
    if (id == CodecId::Opus) {
      EXPECT_LE(size, (*encoder)->max_payload_size(frame));
    } else {
      EXPECT_EQ(size, (*encoder)->max_payload_size(frame));
    }
  }
  const std::span<const std::int16_t> settled = std::span(result.decoded).subspan(frame * 5);
  EXPECT_NEAR(testing::dominant_frequency(settled, info.sample_rate, 100, 3900, 10), 700, 10);
}

INSTANTIATE_TEST_SUITE_P(Codecs, EveryCodec,
                         ::testing::Values(CodecId::Pcmu, CodecId::Pcma, CodecId::G722,
                                           CodecId::Opus, CodecId::G729, CodecId::Gsm));

TEST(CodecFactory, PassesOptionsThrough) {
  CodecOptions options;
  options.opus.sample_rate = 16000;
  auto encoder = make_encoder(CodecId::Opus, options);
  auto decoder = make_decoder(CodecId::Opus, options);
  ASSERT_TRUE(encoder && decoder);
  EXPECT_EQ((*encoder)->sample_rate(), 16000u);
  EXPECT_EQ((*decoder)->sample_rate(), 16000u);
  EXPECT_EQ((*decoder)->samples_per_frame(), 320u);
  EXPECT_TRUE((*decoder)->has_fec());

  options.opus.sample_rate = 11025;
  EXPECT_EQ(make_encoder(CodecId::Opus, options).error(), CodecError::BadOption);
  EXPECT_EQ(make_decoder(CodecId::Opus, options).error(), CodecError::BadOption);

  // VAD on: silence is not sent as speech frames.
  options.g729_vad = true;
  auto g729 = make_encoder(CodecId::G729, options);
  ASSERT_TRUE(g729);
  std::vector<std::uint8_t> payload(20);
  const Pcm silence(160);
  std::size_t largest = 0;
  for (int i = 0; i < 20; ++i) largest = std::max(largest, *(*g729)->encode(silence, payload));
  EXPECT_LE(largest, 2u);
}

}  // namespace
}  // namespace kolokol::media
