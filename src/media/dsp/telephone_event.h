#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/expected.h"

namespace kolokol::media {

// One RFC 4733 telephone-event payload (section 2.3):
//
//    0                   1                   2                   3
//   |     event     |E|R| volume    |          duration             |
struct TelephoneEvent {
  static constexpr std::size_t kSize = 4;
  static constexpr std::uint8_t kMaxVolume = 63;  // 6 bits, in -dBm0
  static constexpr std::uint8_t kFlashEvent = 16;

  std::uint8_t event = 0;
  bool end = false;
  std::uint8_t volume = 10;    // power level of the tone, 0 to -63 dBm0, sign dropped
  std::uint16_t duration = 0;  // in units of the stream's RTP clock, from the event's timestamp

  friend bool operator==(const TelephoneEvent&, const TelephoneEvent&) = default;
};

enum class TelephoneEventError : std::uint8_t {
  TooShort,   // under 4 bytes
  BadVolume,  // serialize: a volume over 63 does not fit its 6 bits
  NotADigit,  // the event (or character) is not one of the DTMF digits or flash
};
std::string_view telephone_event_error_name(TelephoneEventError error);

// Reads the first event of the payload. Extra bytes are tolerated: RFC 4733 2.5.1.5 allows
// several events in one packet, and for digits only the first matters. The R bit is ignored,
// as the RFC asks of receivers.
base::Expected<TelephoneEvent, TelephoneEventError> parse_telephone_event(
    std::span<const std::uint8_t> payload);

base::Expected<std::array<std::uint8_t, TelephoneEvent::kSize>, TelephoneEventError>
serialize_telephone_event(const TelephoneEvent& event);

// Events 0-9 are the digits, 10 '*', 11 '#', 12-15 'A'-'D', 16 flash ('F') (RFC 4733 3.2).
// Any other number, including ones an int can hold but the 8-bit field cannot, is not a digit.
std::optional<char> digit_for_event(int event);
std::optional<std::uint8_t> event_for_digit(char digit);

}  // namespace kolokol::media
