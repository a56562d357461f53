#include "media/dsp/dtmf_relay.h"

#include <charconv>

#include "media/dsp/digit_event.h"
#include "media/dsp/telephone_event.h"

namespace kolokol::media {
namespace {

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Only digits, and few enough that the value cannot overflow.
std::optional<std::uint32_t> parse_number(std::string_view text, std::uint32_t max) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

std::optional<char> parse_signal(std::string_view value) {
  if (value.size() == 1) {
    if (value[0] == '!') return 'F';
    return normalize_digit(value[0]);
  }
  const auto event = parse_number(value, TelephoneEvent::kFlashEvent);
  if (!event) return std::nullopt;
  return digit_for_event(static_cast<int>(*event));
}

}  // namespace

std::string_view dtmf_relay_error_name(DtmfRelayError error) {
  switch (error) {
    case DtmfRelayError::TooLong:
      return "DTMF body too long";
    case DtmfRelayError::MissingSignal:
      return "dtmf-relay body without Signal";
    case DtmfRelayError::BadSignal:
      return "bad or repeated DTMF signal";
    case DtmfRelayError::BadDuration:
      return "bad or repeated dtmf-relay Duration";
  }
  return "unknown";
}

base::Expected<DtmfRelay, DtmfRelayError> parse_dtmf_relay(std::string_view body) {
  if (body.size() > kMaxDtmfBodySize) return base::unexpected(DtmfRelayError::TooLong);
  std::optional<char> signal;
  std::optional<std::uint32_t> duration;
  bool duration_seen = false;
  while (!body.empty()) {
    const std::size_t eol = body.find('\n');
    const std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, equals));
    const std::string_view value = trim(line.substr(equals + 1));
    if (equals_ignoring_case(key, "Signal")) {
      if (signal) return base::unexpected(DtmfRelayError::BadSignal);
      signal = parse_signal(value);
      if (!signal) return base::unexpected(DtmfRelayError::BadSignal);
    } else if (equals_ignoring_case(key, "Duration")) {
      if (duration_seen) return base::unexpected(DtmfRelayError::BadDuration);
      duration_seen = true;
      duration = parse_number(value, kMaxDtmfRelayDurationMs);
      if (!duration) return base::unexpected(DtmfRelayError::BadDuration);
    }
  }
  if (!signal) return base::unexpected(DtmfRelayError::MissingSignal);
  return DtmfRelay{*signal, duration};
}

std::string format_dtmf_relay(const DtmfRelay& relay) {
  std::string body = "Signal=";
  body += relay.signal == 'F' ? '!' : relay.signal;
  body += "\r\n";
  if (relay.duration_ms) {
    body += "Duration=";
    body += std::to_string(*relay.duration_ms);
    body += "\r\n";
  }
  return body;
}

base::Expected<char, DtmfRelayError> parse_dtmf_body(std::string_view body) {
  if (body.size() > kMaxDtmfBodySize) return base::unexpected(DtmfRelayError::TooLong);
  const std::string_view value = trim(body);
  if (value.empty()) return base::unexpected(DtmfRelayError::MissingSignal);
  const auto signal = parse_signal(value);
  if (!signal) return base::unexpected(DtmfRelayError::BadSignal);
  return *signal;
}

std::string format_dtmf_body(char digit) {
  return std::string(1, digit == 'F' ? '!' : digit);
}

}  // namespace kolokol::media
