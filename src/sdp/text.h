#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"

// Small lexical helpers shared by the SDP parser and the attribute helpers.
namespace kolokol::sdp::text {

// Splits on runs of spaces and tabs; empty fields are dropped (tolerates "m=audio  49170 ...").
std::vector<std::string_view> split_fields(std::string_view s);

// Removes leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

using base::iequals;

// RFC 8866 token: visible ASCII except the separators listed by its grammar.
bool is_token(std::string_view s);

bool is_digits(std::string_view s);

// Whole-string unsigned decimal; no sign, no spaces, no overflow.
template <typename U>
std::optional<U> parse_unsigned(std::string_view s) {
  if (!is_digits(s)) return std::nullopt;
  U value{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// "<digits>[d|h|m|s]", with a leading '-' when allow_negative.
bool is_typed_time(std::string_view s, bool allow_negative = false);

// Quotes the start of a line for an error message, with control bytes shown as '?'.
std::string quote(std::string_view line);

}  // namespace kolokol::sdp::text
