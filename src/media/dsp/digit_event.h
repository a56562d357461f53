#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kolokol::media {

// The one stream of key presses the PBX sees, whatever way the phone sent them: RTP
// telephone-events (RFC 4733), tones in the audio, or SIP INFO. Everything above the media
// layer consumes DigitEvents and never needs to know which of the three carried the digit.
enum class DigitSource : std::uint8_t { Rfc4733, Inband, SipInfo };
std::string_view digit_source_name(DigitSource source);

struct DigitEvent {
  char digit = 0;  // '0'-'9', '*', '#', 'A'-'D', or 'F' for a hook flash (RFC 4733 event 16)
  // On the clock of whoever produced it: arrival time for RTP and SIP INFO, stream time (from
  // the first sample fed) for in-band detection.
  std::int64_t start_ms = 0;
  std::uint32_t duration_ms = 0;  // 0 in a Began notice: not known yet
  DigitSource source = DigitSource::Rfc4733;

  friend bool operator==(const DigitEvent&, const DigitEvent&) = default;
};

// A key press is reported twice: when it starts (so a prompt can stop playing at once) and when
// it ends, with its duration. Exactly one Ended follows every Began, even if the end was lost.
enum class DigitPhase : std::uint8_t { Began, Ended };

struct DigitNotice {
  DigitPhase phase = DigitPhase::Began;
  DigitEvent event;

  friend bool operator==(const DigitNotice&, const DigitNotice&) = default;
};

// The canonical spelling of a digit ('a' -> 'A'), or nothing if `c` is not one. Flash is
// accepted as 'F' or 'f'.
std::optional<char> normalize_digit(char c);

// Whether the digit exists as a DTMF tone pair (every digit but flash).
bool is_dtmf_tone_digit(char digit);

}  // namespace kolokol::media
