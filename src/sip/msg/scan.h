#pragma once

// Character classes and small scanning helpers shared by the SIP message parsers. Internal to
// src/sip/msg; every helper is bounded by its input and never recurses.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/msg/param.h"

namespace kolokol::sip {
struct Uri;
}

namespace kolokol::sip::detail {

enum CharClass : std::uint8_t {
  kTokenChar = 1,    // RFC 3261 token
  kParamValue = 2,   // token or host characters (gen-value without quotes)
  kUriHostChar = 4,  // reg-name / IPv4 characters
  kSchemeChar = 8,
  kUriChar = 16,  // may appear in a URI at all (no CTL, SP, '<', '>', '"')
};

constexpr std::array<std::uint8_t, 256> make_char_table() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    std::uint8_t v = 0;
    if (alpha || digit) v |= kTokenChar | kParamValue | kUriHostChar | kSchemeChar;
    for (char s : std::string_view("-.!%*_+`'~")) {
      if (c == s) v |= kTokenChar | kParamValue;
    }
    for (char s : std::string_view(":[]/@")) {
      if (c == s) v |= kParamValue;
    }
    if (c == '-' || c == '.' || c == '_') v |= kUriHostChar;
    if (c == '+' || c == '-' || c == '.') v |= kSchemeChar;
    if (c > 0x20 && c != 0x7f && c != '<' && c != '>' && c != '"') v |= kUriChar;
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}
inline constexpr std::array<std::uint8_t, 256> kCharTable = make_char_table();

inline bool has_class(char c, CharClass cls) {
  return (kCharTable[static_cast<unsigned char>(c)] & cls) != 0;
}
inline bool is_token_char(char c) {
  return has_class(c, kTokenChar);
}
constexpr bool is_ws(char c) {
  return c == ' ' || c == '\t';
}
constexpr bool is_lws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
constexpr char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

bool iequals(std::string_view a, std::string_view b);
std::string lower(std::string_view text);
std::string upper(std::string_view text);
std::string_view trim(std::string_view text);
std::string_view trim_left(std::string_view text);
std::string_view trim_right(std::string_view text);
bool is_token(std::string_view text);  // non-empty and token characters only

// Decimal digits only (at least one, leading zeros allowed) and not above max.
std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max);

// Length of the quoted-string starting at text[0] == '"' including both quotes, or npos when
// it is not terminated.
std::size_t quoted_string_length(std::string_view text);
// Removes the quotes and the backslash escapes of a quoted-string.
std::string unquote(std::string_view quoted);

// Calls piece(std::string_view) for each trimmed element of a list separated by sep outside
// quoted strings and <...>. Returns false when a quoted string is left open.
template <typename F>
bool split_top_level(std::string_view text, char sep, F&& piece) {
  bool quoted = false;
  bool angle = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (c == '<') {
      angle = true;
    } else if (c == '>') {
      angle = false;
    } else if (c == sep && !angle) {
      piece(trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  piece(trim(text.substr(start)));
  return !quoted;
}

// More parameters than this in one URI or header value is an attack, not a real message; the
// cap also bounds the pairwise parameter comparisons of URI equivalence.
inline constexpr std::size_t kMaxParams = 64;

// Parses header parameters (";name[=value]" repeated, LWS allowed around ';' and '='); the
// whole text must consist of parameters. Values keep their quotes.
bool parse_header_params(std::string_view text, Params& out);
void append_params(std::string& out, const Params& params, char separator = ';');
// "host" or "host:port": the sent-by of a Via and the hostport of a URI.
void append_host_port(std::string& out, std::string_view host, std::optional<std::uint16_t> port);

}  // namespace kolokol::sip::detail

namespace kolokol::sip::detail {

// parse_uri() without the result wrapper: fills uri, returns nullptr or the reason it failed.
const char* parse_uri_into(std::string_view text, Uri& uri);

// Index of the first sep outside quoted strings and <...>, or npos.
std::size_t find_top_level(std::string_view text, char sep);

}  // namespace kolokol::sip::detail
