#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "base/expected.h"

namespace kolokol::media {

// One step of a cadence: up to two frequencies (both 0: silence) for a duration (0: forever).
struct ToneSegment {
  std::uint16_t freq1_hz = 0;
  std::uint16_t freq2_hz = 0;
  std::uint32_t duration_ms = 0;

  bool silent() const { return freq1_hz == 0 && freq2_hz == 0; }
};

constexpr ToneSegment tone_on(std::uint16_t freq1_hz, std::uint16_t freq2_hz,
                              std::uint32_t duration_ms) {
  return {freq1_hz, freq2_hz, duration_ms};
}
constexpr ToneSegment tone_off(std::uint32_t duration_ms) {
  return {0, 0, duration_ms};
}

// A call-progress tone: a short cadence, played once or repeated. Fixed capacity, so the
// country tables are constants and a generator copies its tone without allocating.
class Tone {
 public:
  static constexpr std::size_t kMaxSegments = 8;

  constexpr Tone() = default;
  constexpr Tone(std::initializer_list<ToneSegment> segments, bool repeat = true)
      : repeat_(repeat) {
    for (const ToneSegment& segment : segments) {
      if (count_ == kMaxSegments) break;
      segments_[count_++] = segment;
    }
  }

  std::span<const ToneSegment> segments() const { return {segments_.data(), count_}; }
  bool repeats() const { return repeat_; }

 private:
  std::array<ToneSegment, kMaxSegments> segments_{};
  std::size_t count_ = 0;
  bool repeat_ = true;
};

enum class CallProgressTone : std::uint8_t { Dial, Ringback, Busy, Congestion, CallWaiting };

// The tones one country's callers expect to hear, as listed in the ITU-T E.180 supplement
// ("Various tones used in national networks") and the national plans noted in tone_profile.cc.
struct ToneProfile {
  std::string_view country;  // ISO 3166-1 alpha-2, lower case
  Tone dial;
  Tone ringback;
  Tone busy;
  Tone congestion;
  Tone call_waiting;

  const Tone& tone(CallProgressTone which) const;
};

enum class ToneProfileError : std::uint8_t { UnknownCountry };
std::string_view tone_profile_error_name(ToneProfileError error);

// By ISO country code, in any case ("ru", "US"); "uk" is taken for "gb".
base::Expected<ToneProfile, ToneProfileError> find_tone_profile(std::string_view country);
// Russia's tones, the PBX default.
ToneProfile default_tone_profile();
// Codes find_tone_profile() knows, for error messages and configuration UIs.
std::span<const std::string_view> tone_profile_countries();

}  // namespace kolokol::media
