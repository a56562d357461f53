#include "media/codec/transcoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "audio_measure.h"
#include "media/codec/codec_factory.h"
#include "media/codec/g711.h"

namespace kolokol::media {
namespace {

using testing::Pcm;
using Bytes = std::vector<std::uint8_t>;

AudioEncoderPtr encoder(CodecId id, const CodecOptions& options = {}) {
  return std::move(*make_encoder(id, options));
}
AudioDecoderPtr decoder(CodecId id, const CodecOptions& options = {}) {
  return std::move(*make_decoder(id, options));
}

TEST(Transcoder, TurnsPcmuIntoG729KeepingTheSound) {
  auto transcoder = Transcoder::create(decoder(CodecId::Pcmu), encoder(CodecId::G729));
  ASSERT_TRUE(transcoder);
  auto pcmu = encoder(CodecId::Pcmu);
  auto g729 = decoder(CodecId::G729);
  const Pcm tone = testing::sine(8000, 600, 8000);
  Bytes ulaw(160);
  Bytes out(200);
  Pcm decoded;
  Pcm frame(160);
  for (std::size_t offset = 0; offset < tone.size(); offset += 160) {
    ASSERT_TRUE(pcmu->encode(std::span(tone).subspan(offset, 160), ulaw));
    auto size = transcoder->transcode(ulaw, out);
    ASSERT_TRUE(size);
    ASSERT_EQ(*size, 20u);
    ASSERT_EQ(*g729->decode(std::span(out).first(*size), frame), 160u);
    decoded.insert(decoded.end(), frame.begin(), frame.end());
  }
  EXPECT_NEAR(testing::dominant_frequency(std::span(decoded).subspan(800), 8000, 100, 3900, 10),
              600, 10);

  // A lost input packet still yields an output packet, and bad input is refused.
  EXPECT_EQ(*transcoder->transcode_loss(out), 20u);
  EXPECT_EQ(transcoder->transcode({}, out).error(), CodecError::BadPayload);
  EXPECT_EQ(transcoder->transcode(Bytes(100), out).error(), CodecError::BadInput);  // not 10 ms
}

TEST(Transcoder, JoinsOpusAt8KhzToPcma) {
  CodecOptions options;
  options.opus.sample_rate = 8000;
  auto transcoder = Transcoder::create(decoder(CodecId::Opus, options), encoder(CodecId::Pcma));
  ASSERT_TRUE(transcoder);
  auto opus = encoder(CodecId::Opus, options);
  const Pcm tone = testing::sine(8000, 800, 8000);
  Bytes packet(1500);
  Bytes alaw(160);
  Pcm decoded;
  std::size_t last_size = 0;
  for (std::size_t offset = 0; offset < tone.size(); offset += 160) {
    auto size = opus->encode(std::span(tone).subspan(offset, 160), packet);
    ASSERT_TRUE(size);
    ASSERT_EQ(*transcoder->transcode(std::span(packet).first(*size), alaw), 160u);
    last_size = *size;
    for (std::uint8_t code : alaw) decoded.push_back(alaw_to_linear(code));
  }
  EXPECT_NEAR(testing::dominant_frequency(std::span(decoded).subspan(800), 8000, 100, 3900, 10),
              800, 10);
  Bytes small(100);
  EXPECT_EQ(transcoder->transcode(std::span(packet).first(last_size), small).error(),
            CodecError::OutputTooSmall);
}

TEST(Transcoder, RefusesCodecsAtDifferentRates) {
  EXPECT_EQ(Transcoder::create(decoder(CodecId::Pcmu), encoder(CodecId::G722)).error(),
            CodecError::BadOption);
  EXPECT_EQ(Transcoder::create(decoder(CodecId::Opus), encoder(CodecId::Gsm)).error(),
            CodecError::BadOption);
  EXPECT_EQ(Transcoder::create(nullptr, encoder(CodecId::Gsm)).error(), CodecError::BadOption);
}

}  // namespace
}  // namespace kolokol::media
