#include "media/dsp/digit_event.h"

namespace kolokol::media {

std::string_view digit_source_name(DigitSource source) {
  switch (source) {
    case DigitSource::Rfc4733:
      return "rfc4733";
    case DigitSource::Inband:
      return "inband";
    case DigitSource::SipInfo:
      return "sip-info";
  }
  return "unknown";
}

std::optional<char> normalize_digit(char c) {
  if ((c >= '0' && c <= '9') || c == '*' || c == '#') return c;
  if (c >= 'A' && c <= 'D') return c;
  if (c >= 'a' && c <= 'd') return static_cast<char>(c - 'a' + 'A');
  if (c == 'F' || c == 'f') return 'F';
  return std::nullopt;
}

bool is_dtmf_tone_digit(char digit) {
  const auto normalized = normalize_digit(digit);
  return normalized && *normalized == digit && digit != 'F';
}

}  // namespace kolokol::media
