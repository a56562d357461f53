#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/expected.h"
#include "media/dsp/tone_profile.h"
#include "media/dsp/tone_synth.h"

namespace kolokol::media {

enum class ToneGeneratorError : std::uint8_t {
  BadSampleRate,  // outside 8-96 kHz
  BadLevel,       // outside -60..+3 dBm0
  BadTone,        // no segments, or a frequency at or above half the sample rate
};
std::string_view tone_generator_error_name(ToneGeneratorError error);

// Plays a call-progress tone as 16-bit PCM, as many samples as the caller asks for at a time.
// The cadence is kept in absolute sample positions, so frame size never moves an edge and long
// runs do not drift; phase runs on across frames and edges are ramped (see ToneSynth).
class ToneGenerator {
 public:
  static constexpr double kDefaultLevelDbm0 = -13.0;  // per frequency

  static base::Expected<ToneGenerator, ToneGeneratorError> create(
      const Tone& tone, int sample_rate, double level_dbm0 = kDefaultLevelDbm0);

  // Fills `out`. After a tone that does not repeat, silence.
  void generate(std::span<std::int16_t> out);
  // Whether a non-repeating tone has played out (a repeating one never does).
  bool finished() const { return finished_; }
  // Back to the start of the cadence.
  void restart();

  int sample_rate() const { return sample_rate_; }

 private:
  ToneGenerator(const Tone& tone, int sample_rate, double peak);
  void enter_segment(std::size_t index);
  std::uint64_t boundary(std::uint64_t cycle, std::uint64_t ms_into_cycle) const;

  Tone tone_;
  int sample_rate_;
  double peak_;
  ToneSynth synth_;
  std::uint64_t cycle_ms_ = 0;  // one pass of the cadence; 0 if a segment lasts forever
  std::uint64_t cycle_ = 0;
  std::size_t segment_ = 0;
  std::uint64_t segment_start_ms_ = 0;  // into the cycle
  std::uint64_t position_ = 0;          // samples since the start
  std::uint64_t segment_end_ = 0;       // absolute sample; UINT64_MAX: never
  bool finished_ = false;
};

}  // namespace kolokol::media
