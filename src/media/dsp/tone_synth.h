#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace kolokol::media {

// The peak of a sine at `dbm0` in 16-bit linear PCM. G.711 puts a full-scale sine at +3.14 dBm0
// (A-law; mu-law is 3.17), so 0 dBm0 peaks near 22,800.
double dbm0_to_peak(double dbm0);

// Up to two sines with click-free edges, the building block of call-progress and DTMF tones.
// Each sine keeps its phase from one render() to the next and across set() calls, and its
// amplitude slews over a short ramp when it starts or stops instead of jumping. Both edges are
// late by half the ramp, so a tone measured at half amplitude lasts exactly as long as asked. A
// frequency change while sounding is phase-continuous and needs no ramp.
class ToneSynth {
 public:
  static constexpr double kDefaultRampMs = 2.0;

  explicit ToneSynth(int sample_rate, double ramp_ms = kDefaultRampMs);

  // Frequencies in Hz; 0 silences that component. `peak` is each sine's amplitude.
  void set(double freq1_hz, double freq2_hz, double peak);
  // Writes out.size() samples (saturated to 16 bits).
  void render(std::span<std::int16_t> out);

  bool silent() const;  // nothing sounding, ramps finished

 private:
  struct Voice {
    double cos = 1.0;  // the sine's state as a rotating unit vector: cheap, no drift in phase
    double sin = 0.0;
    double step_cos = 1.0;
    double step_sin = 0.0;
    double envelope = 0.0;  // 0..1
    bool on = false;
  };
  void tune(Voice& voice, double freq_hz);

  int sample_rate_;
  double ramp_step_;
  double peak_ = 0.0;
  std::array<Voice, 2> voices_{};
};

}  // namespace kolokol::media
