#include "media/dsp/telephone_event.h"

#include "media/dsp/digit_event.h"

namespace kolokol::media {
namespace {

constexpr std::string_view kEventDigits = "0123456789*#ABCDF";

}  // namespace

std::string_view telephone_event_error_name(TelephoneEventError error) {
  switch (error) {
    case TelephoneEventError::TooShort:
      return "telephone-event payload shorter than 4 bytes";
    case TelephoneEventError::BadVolume:
      return "telephone-event volume over 63";
    case TelephoneEventError::NotADigit:
      return "not a DTMF digit or flash";
  }
  return "unknown";
}

base::Expected<TelephoneEvent, TelephoneEventError> parse_telephone_event(
    std::span<const std::uint8_t> payload) {
  if (payload.size() < TelephoneEvent::kSize) {
    return base::unexpected(TelephoneEventError::TooShort);
  }
  TelephoneEvent event;
  event.event = payload[0];
  event.end = (payload[1] & 0x80) != 0;
  event.volume = payload[1] & 0x3f;
  event.duration = static_cast<std::uint16_t>((payload[2] << 8) | payload[3]);
  return event;
}

base::Expected<std::array<std::uint8_t, TelephoneEvent::kSize>, TelephoneEventError>
serialize_telephone_event(const TelephoneEvent& event) {
  if (event.volume > TelephoneEvent::kMaxVolume) {
    return base::unexpected(TelephoneEventError::BadVolume);
  }
  return std::array<std::uint8_t, TelephoneEvent::kSize>{
      event.event, static_cast<std::uint8_t>((event.end ? 0x80 : 0) | event.volume),
      static_cast<std::uint8_t>(event.duration >> 8), static_cast<std::uint8_t>(event.duration)};
}

std::optional<char> digit_for_event(int event) {
  if (event < 0 || event >= static_cast<int>(kEventDigits.size())) return std::nullopt;
  return kEventDigits[static_cast<std::size_t>(event)];
}

std::optional<std::uint8_t> event_for_digit(char digit) {
  const auto normalized = normalize_digit(digit);
  if (!normalized) return std::nullopt;
  return static_cast<std::uint8_t>(kEventDigits.find(*normalized));
}

}  // namespace kolokol::media
