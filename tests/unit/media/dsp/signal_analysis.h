#pragma once

// Measurements the DSP tests make on generated audio.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace kolokol::media::testing {

// Power of `freq_hz` in `pcm` (Goertzel), normalised so a full sine of peak A gives about A^2/4.
inline double goertzel_power(std::span<const std::int16_t> pcm, double freq_hz, int sample_rate) {
  const double coeff = 2.0 * std::cos(2.0 * std::numbers::pi * freq_hz / sample_rate);
  double s1 = 0.0;
  double s2 = 0.0;
  for (std::int16_t sample : pcm) {
    const double s0 = sample + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  const double n = static_cast<double>(pcm.size());
  return power / (n * n);
}

inline double rms(std::span<const std::int16_t> pcm) {
  double sum = 0.0;
  for (std::int16_t sample : pcm) sum += static_cast<double>(sample) * sample;
  return pcm.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(pcm.size()));
}

inline std::vector<std::int16_t> sine(double freq_hz, double peak, int sample_rate,
                                      std::size_t samples) {
  std::vector<std::int16_t> out(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    out[i] = static_cast<std::int16_t>(
        std::lround(peak * std::sin(2.0 * std::numbers::pi * freq_hz * i / sample_rate)));
  }
  return out;
}

}  // namespace kolokol::media::testing
