#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/expected.h"
#include "media/dsp/tone_synth.h"

namespace kolokol::media {

struct DtmfGeneratorConfig {
  int sample_rate = 8000;
  std::uint32_t on_ms = 100;  // Q.24 wants at least 40 ms of tone and 40 ms of pause
  std::uint32_t off_ms = 100;
  double level_dbm0 = -10.0;  // of the low-group frequency
  double twist_db = 0.0;      // high group louder than the low group by this much
};

enum class DtmfGeneratorError : std::uint8_t {
  BadSampleRate,  // outside 8-96 kHz
  BadTiming,      // on or off time 0 or over 10 s
  BadLevel,       // a tone outside -60..+3 dBm0
  NotADigit,      // not 0-9 * # A-D (a flash has no tone)
  QueueFull,
};
std::string_view dtmf_generator_error_name(DtmfGeneratorError error);

// The two-frequency DTMF tones (Q.23) for a string of digits, played as tone then pause for each
// digit, rendered a frame at a time. Built on ToneSynth rather than spandsp's dtmf_tx so it runs
// at any sample rate and keeps no library globals.
class DtmfGenerator {
 public:
  static constexpr std::size_t kMaxQueued = 64;

  static base::Expected<DtmfGenerator, DtmfGeneratorError> create(
      const DtmfGeneratorConfig& config = {});

  // Queues digits after any still playing. Nothing is queued if one is invalid or they do not
  // all fit. Returns how many digits are now waiting or playing.
  base::Expected<std::size_t, DtmfGeneratorError> queue(std::string_view digits);

  // Fills `out`, with silence once the digits are done; returns how many samples belonged to
  // digits (tones and their pauses).
  std::size_t generate(std::span<std::int16_t> out);

  bool idle() const { return count_ == 0; }
  // Row (low) and column (high) frequencies of a digit, or {0, 0} for a non-digit.
  static std::array<int, 2> frequencies(char digit);

 private:
  DtmfGenerator(const DtmfGeneratorConfig& config, double low_peak, double high_peak);
  void start_digit();

  DtmfGeneratorConfig config_;
  double low_peak_;
  double high_peak_;
  ToneSynth low_;  // one synth per group so each can have its own level
  ToneSynth high_;
  std::array<char, kMaxQueued> queue_{};
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  bool in_pause_ = false;
  std::uint64_t phase_left_ = 0;  // samples left of the current tone or pause
};

}  // namespace kolokol::media
