#include "media/audio/pcm_rate_converter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "unit/media/audio/audio_test_support.h"

namespace kolokol::media {
namespace {

using testing::dominant_frequency;
using testing::rms;

std::vector<std::int16_t> sine(int rate, double frequency, std::size_t count) {
  std::vector<std::int16_t> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = static_cast<std::int16_t>(
        std::lround(16000 * std::sin(2 * std::numbers::pi * frequency * i / rate)));
  }
  return out;
}

std::vector<std::int16_t> convert(std::span<const std::int16_t> in, int from, int to,
                                  std::size_t block) {
  auto converter = make_linear_rate_converter(from, to);
  std::vector<std::int16_t> out;
  for (std::size_t i = 0; i < in.size(); i += block) {
    converter->process(in.subspan(i, std::min(block, in.size() - i)), out);
  }
  converter->finish(out);
  return out;
}

TEST(LinearRateConverter, DownsamplingKeepsDurationToneAndLevel) {
  const auto in = sine(48000, 1000, 48000);
  const auto out = convert(in, 48000, 8000, 4096);
  EXPECT_EQ(out.size(), 8000u);
  EXPECT_EQ(dominant_frequency(out, 8000), 1000);
  EXPECT_NEAR(rms(out), rms(in), rms(in) * 0.02);
}

TEST(LinearRateConverter, UpsamplingKeepsDurationAndTone) {
  const auto in = sine(8000, 700, 8000);
  const auto out = convert(in, 8000, 16000, 160);
  EXPECT_EQ(out.size(), 16000u);
  EXPECT_EQ(dominant_frequency(out, 16000), 700);
  // Every other output sample sits exactly on an input sample.
  for (std::size_t i = 0; i < 100; ++i) EXPECT_EQ(out[2 * i], in[i]);
}

TEST(LinearRateConverter, NonIntegerRatioLastsAsLongAsTheInput) {
  const auto in = sine(44100, 440, 44100 / 2);  // half a second
  const auto out = convert(in, 44100, 16000, 1000);
  EXPECT_EQ(out.size(), 8000u);
  // 22,050 input samples at 16000/44100 is not whole: the output rounds up, never drops audio.
  EXPECT_EQ(convert(sine(44100, 440, 22051), 44100, 16000, 1000).size(), 8001u);
}

TEST(LinearRateConverter, BlockSizeDoesNotChangeTheOutput) {
  const auto in = sine(44100, 1234, 5000);
  const auto whole = convert(in, 44100, 8000, in.size());
  EXPECT_EQ(convert(in, 44100, 8000, 1), whole);
  EXPECT_EQ(convert(in, 44100, 8000, 37), whole);
}

TEST(LinearRateConverter, ConstantSignalStaysConstant) {
  const std::vector<std::int16_t> in(1000, -1234);
  for (std::int16_t sample : convert(in, 11025, 48000, 100)) ASSERT_EQ(sample, -1234);
}

}  // namespace
}  // namespace kolokol::media
