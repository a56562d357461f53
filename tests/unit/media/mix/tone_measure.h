#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace kolokol::media::test {

// A sine generator that keeps its phase across frames, so that consecutive frames form one
// continuous tone for the Goertzel measurement.
class Tone {
 public:
  Tone(double frequency_hz, double amplitude, int sample_rate_hz)
      : step_(2 * std::numbers::pi * frequency_hz / sample_rate_hz), amplitude_(amplitude) {}

  std::vector<std::int16_t> next(std::size_t samples) {
    std::vector<std::int16_t> out(samples);
    for (auto& sample : out) {
      sample = static_cast<std::int16_t>(std::lround(amplitude_ * std::sin(phase_)));
      phase_ += step_;
    }
    return out;
  }

 private:
  double step_;
  double amplitude_;
  double phase_ = 0;
};

// Amplitude of the `frequency_hz` component of `signal` (Goertzel). Exact for a tone that
// completes whole cycles in the signal; other tones at whole-cycle frequencies contribute ~0.
inline double tone_amplitude(std::span<const std::int16_t> signal, double frequency_hz,
                             int sample_rate_hz) {
  const double coefficient = 2 * std::cos(2 * std::numbers::pi * frequency_hz / sample_rate_hz);
  double s1 = 0;
  double s2 = 0;
  for (const std::int16_t sample : signal) {
    const double s0 = sample + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return 2 * std::sqrt(std::max(power, 0.0)) / static_cast<double>(signal.size());
}

}  // namespace kolokol::media::test
