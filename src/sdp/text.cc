#include "sdp/text.h"

namespace kolokol::sdp::text {

std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) fields.push_back(s.substr(start, i - start));
  }
  return fields;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_token(std::string_view s) {
  // RFC 8866 token-char: visible ASCII except the separators below.
  constexpr std::string_view kSeparators = "\"(),/:;<=>?@[\\]";
  if (s.empty()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || kSeparators.find(c) != std::string_view::npos) return false;
  }
  return true;
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_typed_time(std::string_view s, bool allow_negative) {
  if (allow_negative && !s.empty() && s.front() == '-') s.remove_prefix(1);
  if (!s.empty()) {
    const char unit = s.back();
    if (unit == 'd' || unit == 'h' || unit == 'm' || unit == 's') s.remove_suffix(1);
  }
  return is_digits(s) && s.size() <= 20;
}

std::string quote(std::string_view line) {
  constexpr std::size_t kMax = 60;
  std::string out = "\"";
  for (std::size_t i = 0; i < line.size() && i < kMax; ++i) {
    const auto u = static_cast<unsigned char>(line[i]);
    out.push_back((u < 0x20 || u == 0x7f) ? '?' : line[i]);
  }
  if (line.size() > kMax) out += "...";
  out += "\"";
  return out;
}

}  // namespace kolokol::sdp::text
