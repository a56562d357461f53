#include "media/dsp/tone_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "unit/media/dsp/signal_analysis.h"

namespace kolokol::media {
namespace {

using testing::goertzel_power;

std::vector<std::int16_t> play(const Tone& tone, int rate, double seconds, std::size_t frame,
                               double level = ToneGenerator::kDefaultLevelDbm0) {
  auto generator = ToneGenerator::create(tone, rate, level);
  EXPECT_TRUE(generator) << tone_generator_error_name(generator.error());
  std::vector<std::int16_t> out(static_cast<std::size_t>(seconds * rate));
  for (std::size_t at = 0; at < out.size(); at += frame) {
    generator->generate(std::span(out).subspan(at, std::min(frame, out.size() - at)));
  }
  return out;
}

// Where the tone switches on and off, in ms (1 ms steps): points where the amplitude of
// `freq_hz`, measured through a Hann window centred there, crosses half its steady value. The
// window must keep the other frequency of a pair out (40 ms for 400 + 450 Hz: two bins apart,
// where a Hann window's response is nil). Before the first sample the line is silent.
std::vector<double> edges_ms(const std::vector<std::int16_t>& pcm, int rate, double freq_hz,
                             int window_ms) {
  const auto half = static_cast<std::ptrdiff_t>(rate * window_ms / 2000);
  const auto step = static_cast<std::size_t>(rate / 1000);
  std::vector<double> power;
  for (std::size_t centre = 0; centre < pcm.size(); centre += step) {
    double i = 0.0;
    double q = 0.0;
    for (std::ptrdiff_t k = -half; k < half; ++k) {
      const std::ptrdiff_t at = static_cast<std::ptrdiff_t>(centre) + k;
      if (at < 0 || at >= static_cast<std::ptrdiff_t>(pcm.size())) continue;
      const double weight =
          0.5 - 0.5 * std::cos(std::numbers::pi * static_cast<double>(k + half) / half);
      const double angle = 2 * std::numbers::pi * freq_hz * static_cast<double>(at) / rate;
      i += weight * pcm[static_cast<std::size_t>(at)] * std::cos(angle);
      q += weight * pcm[static_cast<std::size_t>(at)] * std::sin(angle);
    }
    power.push_back(i * i + q * q);
  }
  const double peak = *std::max_element(power.begin(), power.end());
  std::vector<double> edges;
  bool on = false;
  for (std::size_t n = 0; n + 1 < power.size(); ++n) {  // the last window is cut short
    const bool now_on = power[n] > peak / 4;
    if (now_on != on) edges.push_back(static_cast<double>(n));
    on = now_on;
  }
  return edges;
}

// Each sine's step from one sample to the next is at most peak * 2 pi f / rate; a ramp adds a
// sixteenth of the peak per sample at most (2 ms at 8 kHz).
double max_jump(const std::vector<std::int16_t>& pcm) {
  int jump = 0;
  for (std::size_t i = 1; i < pcm.size(); ++i) jump = std::max(jump, std::abs(pcm[i] - pcm[i - 1]));
  return jump;
}

TEST(ToneGenerator, RussianRingbackCadenceAndFrequency) {
  for (int rate : {8000, 16000, 48000}) {
    const auto profile = find_tone_profile("ru");
    ASSERT_TRUE(profile);
    const auto pcm = play(profile->ringback, rate, 10.0, static_cast<std::size_t>(rate / 50));
    // On at 0 and 5 s for 1 s; the ramps put every edge 1 ms late.
    const std::vector<double> expected = {1, 1001, 5001, 6001};
    const auto edges = edges_ms(pcm, rate, 425, 10);
    ASSERT_EQ(edges.size(), expected.size()) << rate;
    for (std::size_t i = 0; i < edges.size(); ++i) {
      EXPECT_NEAR(edges[i], expected[i], 5) << rate << " edge " << i;
    }
    const auto on = std::span(pcm).subspan(static_cast<std::size_t>(rate / 10),
                                           static_cast<std::size_t>(rate / 2));
    double best_power = 0.0;
    int best_freq = 0;
    for (int freq = 300; freq <= 600; freq += 5) {
      const double power = goertzel_power(on, freq, rate);
      if (power > best_power) {
        best_power = power;
        best_freq = freq;
      }
    }
    EXPECT_EQ(best_freq, 425) << rate;
    const auto off =
        std::span(pcm).subspan(static_cast<std::size_t>(2 * rate), static_cast<std::size_t>(rate));
    EXPECT_EQ(*std::max_element(off.begin(), off.end()), 0);
  }
}

TEST(ToneGenerator, BritishDoubleRingCadence) {
  const auto profile = find_tone_profile("GB");
  ASSERT_TRUE(profile);
  const auto pcm = play(profile->ringback, 8000, 6.5, 160);
  const std::vector<double> expected = {1, 401, 601, 1001, 3001, 3401, 3601, 4001, 6001, 6401};
  const auto edges = edges_ms(pcm, 8000, 400, 40);
  ASSERT_EQ(edges.size(), expected.size());
  for (std::size_t i = 0; i < edges.size(); ++i) EXPECT_NEAR(edges[i], expected[i], 5) << i;
}

TEST(ToneGenerator, AmericanRingbackHasBothFrequencies) {
  const auto profile = find_tone_profile("us");
  ASSERT_TRUE(profile);
  const auto pcm = play(profile->ringback, 8000, 1.0, 160);
  const auto on = std::span(pcm).subspan(800, 4000);
  const double p440 = goertzel_power(on, 440, 8000);
  const double p480 = goertzel_power(on, 480, 8000);
  const double peak = dbm0_to_peak(ToneGenerator::kDefaultLevelDbm0);
  EXPECT_NEAR(p440, peak * peak / 4, peak * peak / 40);
  EXPECT_NEAR(p480, peak * peak / 4, peak * peak / 40);
  for (int other : {350, 400, 425, 460, 520, 620}) {
    EXPECT_LT(goertzel_power(on, other, 8000), p440 / 100) << other;
  }
}

TEST(ToneGenerator, FramesJoinWithoutClicks) {
  const auto profile = find_tone_profile("us");
  ASSERT_TRUE(profile);
  // Congestion switches every 250 ms: many edges. Any frame size gives the same samples.
  const auto whole = play(profile->congestion, 8000, 3.0, 24000);
  for (std::size_t frame : {1u, 37u, 160u, 441u}) {
    EXPECT_EQ(play(profile->congestion, 8000, 3.0, frame), whole) << frame;
  }
  const double peak = dbm0_to_peak(ToneGenerator::kDefaultLevelDbm0);
  const double bound = peak * (2 * std::numbers::pi * (480.0 + 620.0) / 8000 + 2.0 / 16) + 2;
  EXPECT_LT(max_jump(whole), bound);
  // The same tone cut abruptly would jump by up to twice the peak.
  EXPECT_LT(bound, peak);
}

TEST(ToneGenerator, LevelInDbm0) {
  const auto pcm = play(Tone{tone_on(1000, 0, 0)}, 8000, 1.0, 160, -13.0);
  const double peak = 32767.0 * std::pow(10.0, (-13.0 - 3.14) / 20.0);
  EXPECT_NEAR(testing::rms(std::span(pcm).subspan(800)), peak / std::sqrt(2.0), peak * 0.01);
  const auto loud = play(Tone{tone_on(1000, 0, 0)}, 8000, 1.0, 160, 3.0);
  EXPECT_GT(*std::max_element(loud.begin(), loud.end()), 32000);
}

TEST(ToneGenerator, OneShotToneEndsInSilence) {
  auto generator = ToneGenerator::create(
      Tone({tone_on(950, 0, 330), tone_on(1400, 0, 330), tone_on(1800, 0, 330)},
           /*repeat=*/false),
      8000);
  ASSERT_TRUE(generator);
  std::vector<std::int16_t> pcm(9000);
  generator->generate(pcm);
  EXPECT_TRUE(generator->finished());
  const auto middle = std::span(pcm).subspan(2640 + 100, 2400);  // inside the 1400 Hz part
  EXPECT_GT(goertzel_power(middle, 1400, 8000), 100 * goertzel_power(middle, 950, 8000));
  const auto tail = std::span(pcm).subspan(7920 + 100);
  EXPECT_EQ(testing::rms(tail), 0.0);
  generator->restart();
  EXPECT_FALSE(generator->finished());
}

TEST(ToneGenerator, RefusesWhatItCannotPlay) {
  const Tone dial{tone_on(425, 0, 0)};
  EXPECT_EQ(ToneGenerator::create(dial, 7999).error(), ToneGeneratorError::BadSampleRate);
  EXPECT_EQ(ToneGenerator::create(dial, 8000, 4.0).error(), ToneGeneratorError::BadLevel);
  EXPECT_EQ(ToneGenerator::create(dial, 8000, std::nan("")).error(), ToneGeneratorError::BadLevel);
  EXPECT_EQ(ToneGenerator::create(Tone{}, 8000).error(), ToneGeneratorError::BadTone);
  EXPECT_EQ(ToneGenerator::create(Tone{tone_on(4000, 0, 0)}, 8000).error(),
            ToneGeneratorError::BadTone);
  EXPECT_TRUE(ToneGenerator::create(Tone{tone_on(4000, 0, 0)}, 16000));
}

}  // namespace
}  // namespace kolokol::media
