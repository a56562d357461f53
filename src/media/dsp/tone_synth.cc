#include "media/dsp/tone_synth.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace kolokol::media {
namespace {

constexpr double kFullScaleSineDbm0 = 3.14;

}  // namespace

double dbm0_to_peak(double dbm0) {
  return 32767.0 * std::pow(10.0, (dbm0 - kFullScaleSineDbm0) / 20.0);
}

ToneSynth::ToneSynth(int sample_rate, double ramp_ms)
    : sample_rate_(sample_rate), ramp_step_(1.0 / std::max(1.0, ramp_ms * sample_rate / 1000.0)) {}

void ToneSynth::tune(Voice& voice, double freq_hz) {
  if (freq_hz <= 0) {
    voice.on = false;  // keeps its last frequency while it fades out
    return;
  }
  const double step = 2.0 * std::numbers::pi * freq_hz / sample_rate_;
  voice.step_cos = std::cos(step);
  voice.step_sin = std::sin(step);
  voice.on = true;
}

void ToneSynth::set(double freq1_hz, double freq2_hz, double peak) {
  tune(voices_[0], freq1_hz);
  tune(voices_[1], freq2_hz);
  peak_ = peak;
}

void ToneSynth::render(std::span<std::int16_t> out) {
  for (std::int16_t& sample : out) {
    double value = 0.0;
    for (Voice& voice : voices_) {
      if (voice.on) {
        voice.envelope = std::min(1.0, voice.envelope + ramp_step_);
      } else if (voice.envelope > 0.0) {
        voice.envelope = std::max(0.0, voice.envelope - ramp_step_);
      } else {
        continue;
      }
      value += voice.envelope * voice.sin;
      const double c = voice.cos * voice.step_cos - voice.sin * voice.step_sin;
      voice.sin = voice.sin * voice.step_cos + voice.cos * voice.step_sin;
      voice.cos = c;
    }
    sample = static_cast<std::int16_t>(std::clamp(std::lround(value * peak_), -32768L, 32767L));
  }
  // Rounding makes the rotating vector drift off the unit circle; pull it back once a frame.
  for (Voice& voice : voices_) {
    const double norm = std::sqrt(voice.cos * voice.cos + voice.sin * voice.sin);
    voice.cos /= norm;
    voice.sin /= norm;
  }
}

bool ToneSynth::silent() const {
  return std::all_of(voices_.begin(), voices_.end(),
                     [](const Voice& voice) { return !voice.on && voice.envelope == 0.0; });
}

}  // namespace kolokol::media
