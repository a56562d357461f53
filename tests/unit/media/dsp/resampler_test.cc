#include "media/dsp/resampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "unit/media/dsp/signal_analysis.h"

namespace kolokol::media {
namespace {

using testing::goertzel_power;

// Converts `in` frame by frame (20 ms), the way the media path will.
std::vector<std::int16_t> convert(Resampler& resampler, const std::vector<std::int16_t>& in) {
  const std::size_t frame = resampler.input_rate() / 50;
  std::vector<std::int16_t> out;
  std::vector<std::int16_t> buffer(resampler.max_output_size(frame));
  for (std::size_t at = 0; at < in.size(); at += frame) {
    const auto chunk = std::span(in).subspan(at, std::min(frame, in.size() - at));
    auto written = resampler.process(chunk, buffer);
    EXPECT_TRUE(written) << resampler_error_name(written.error());
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*written));
  }
  return out;
}

// SNR of `out` against `reference` at the delay that matches them best, skipping the start.
double best_snr_db(const std::vector<std::int16_t>& reference,
                   const std::vector<std::int16_t>& out) {
  double best = -100.0;
  for (std::size_t delay = 0; delay < 400; ++delay) {
    double signal = 0.0;
    double noise = 0.0;
    for (std::size_t i = 1000; i + delay < out.size() && i < reference.size() - 500; ++i) {
      const double want = reference[i];
      const double error = out[i + delay] - want;
      signal += want * want;
      noise += error * error;
    }
    best = std::max(best, 10.0 * std::log10(signal / std::max(noise, 1e-9)));
  }
  return best;
}

TEST(Resampler, UpAndDownKeepsASineClean) {
  const auto input = testing::sine(1000, 10000, 8000, 16000);
  auto up = Resampler::create(8000, 48000);
  auto down = Resampler::create(48000, 8000);
  ASSERT_TRUE(up);
  ASSERT_TRUE(down);
  const auto high = convert(*up, input);
  EXPECT_NEAR(static_cast<double>(high.size()), 6.0 * input.size(), 2);
  // At 48 kHz the tone is still at 1 kHz and nowhere else (no images at 7 or 9 kHz).
  const auto steady = std::span(high).subspan(6000, 48000);
  const double at_1k = goertzel_power(steady, 1000, 48000);
  EXPECT_NEAR(std::sqrt(at_1k) * 2, 10000, 300);
  for (double image : {7000.0, 9000.0, 15000.0, 17000.0}) {
    EXPECT_LT(goertzel_power(steady, image, 48000), at_1k / 1000) << image;
  }
  const auto back = convert(*down, high);
  EXPECT_NEAR(static_cast<double>(back.size()), static_cast<double>(input.size()), 2);
  EXPECT_GT(best_snr_db(input, back), 25.0);
  const auto back_steady = std::span(back).subspan(1000, 8000);
  EXPECT_GT(goertzel_power(back_steady, 1000, 8000), 100 * goertzel_power(back_steady, 900, 8000));
  EXPECT_GT(goertzel_power(back_steady, 1000, 8000), 100 * goertzel_power(back_steady, 1100, 8000));
}

TEST(Resampler, FortyFourPointOne) {
  const auto input = testing::sine(1000, 10000, 48000, 96000);
  auto down = Resampler::create(48000, 44100, 6);
  auto up = Resampler::create(44100, 48000, 6);
  ASSERT_TRUE(down);
  ASSERT_TRUE(up);
  const auto middle = convert(*down, input);
  EXPECT_NEAR(static_cast<double>(middle.size()), 88200, 2);
  const auto steady = std::span(middle).subspan(4410, 44100);
  EXPECT_GT(goertzel_power(steady, 1000, 44100), 1000 * goertzel_power(steady, 1100, 44100));
  const auto back = convert(*up, middle);
  EXPECT_GT(best_snr_db(input, back), 25.0);
}

TEST(Resampler, RefusesBadRatesQualityAndSmallBuffers) {
  for (std::uint32_t rate : {0u, 7999u, 192001u, 1000000u}) {
    EXPECT_EQ(Resampler::create(rate, 8000).error(), ResamplerError::BadRate) << rate;
    EXPECT_EQ(Resampler::create(8000, rate).error(), ResamplerError::BadRate) << rate;
  }
  EXPECT_EQ(Resampler::create(8000, 16000, 11).error(), ResamplerError::BadQuality);
  EXPECT_EQ(Resampler::create(8000, 16000, -1).error(), ResamplerError::BadQuality);
  for (std::uint32_t rate :
       {8000u, 11025u, 12000u, 16000u, 22050u, 24000u, 32000u, 44100u, 48000u, 96000u}) {
    EXPECT_TRUE(Resampler::create(rate, 16000)) << rate;
  }
  auto resampler = Resampler::create(8000, 16000);
  ASSERT_TRUE(resampler);
  std::vector<std::int16_t> in(160, 100);
  std::vector<std::int16_t> out(320);
  EXPECT_EQ(resampler->process(in, out).error(), ResamplerError::OutputTooSmall);
  out.resize(resampler->max_output_size(in.size()));
  auto written = resampler->process(in, out);
  ASSERT_TRUE(written);
  EXPECT_LE(*written, out.size());
  EXPECT_GT(resampler->input_latency(), 0);
  EXPECT_EQ(*resampler->process({}, out), 0u);
}

}  // namespace
}  // namespace kolokol::media
