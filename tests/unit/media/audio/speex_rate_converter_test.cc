#include "media/audio/speex_rate_converter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace kolokol::media {
namespace {

std::vector<std::int16_t> sine(double frequency, int rate, std::size_t count) {
  std::vector<std::int16_t> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = static_cast<std::int16_t>(
        10000 * std::sin(2 * std::numbers::pi * frequency * static_cast<double>(i) / rate));
  }
  return out;
}

double power_at(const std::vector<std::int16_t>& samples, double frequency, int rate) {
  const double w = 2 * std::numbers::pi * frequency / rate;
  double re = 0;
  double im = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    re += samples[i] * std::cos(w * static_cast<double>(i));
    im += samples[i] * std::sin(w * static_cast<double>(i));
  }
  return (re * re + im * im) / static_cast<double>(samples.size() * samples.size());
}

TEST(SpeexRateConverter, Converts22050To8000InBlocksKeepingDurationAndTone) {
  // espeak-ng speaks at 22,050 Hz; prompts play at 8,000.
  const auto input = sine(440, 22050, 22050);
  auto converter = speex_rate_converter_factory()(22050, 8000);
  std::vector<std::int16_t> out;
  for (std::size_t at = 0; at < input.size(); at += 1000) {
    converter->process(std::span(input).subspan(at, std::min<std::size_t>(1000, input.size() - at)),
                       out);
  }
  converter->finish(out);
  EXPECT_EQ(out.size(), 8000u);
  const std::vector<std::int16_t> middle(out.begin() + 1000, out.begin() + 7000);
  EXPECT_GT(power_at(middle, 440, 8000), 1000 * power_at(middle, 1000, 8000));
  // No filter delay left: the first samples follow the sine's start, not silence.
  EXPECT_GT(std::abs(out[20]), 1000);
}

TEST(SpeexRateConverter, UpsamplesAndFallsBackForRatesOutOfRange) {
  const auto input = sine(1000, 8000, 8000);
  auto converter = speex_rate_converter_factory()(8000, 48000);
  std::vector<std::int16_t> out;
  converter->process(input, out);
  converter->finish(out);
  EXPECT_EQ(out.size(), 48000u);
  const std::vector<std::int16_t> middle(out.begin() + 6000, out.begin() + 42000);
  EXPECT_GT(power_at(middle, 1000, 48000), 1000 * power_at(middle, 1500, 48000));
  EXPECT_NE(speex_rate_converter_factory()(4000, 8000), nullptr);  // linear fallback
}

}  // namespace
}  // namespace kolokol::media
