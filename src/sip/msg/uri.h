#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "sip/msg/param.h"
#include "sip/msg/parse_error.h"

namespace kolokol::sip {

enum class UriScheme : std::uint8_t { Sip, Sips, Tel, Other };

// A parsed URI. sip/sips URIs fill user/password/host/port/params/headers (RFC 3261 19.1);
// tel URIs (RFC 3966) put the number in user and the parameters in params; any other scheme
// keeps its text in opaque (everything after "scheme:").
// Escapes (%XX) are kept as written in every field, so to_string(parse(x)) == x for canonical
// input; use unescape() to compare user parts.
struct Uri {
  UriScheme scheme = UriScheme::Sip;
  std::string scheme_text = "sip";  // as written, lower-cased ("sip", "sips", "tel", "soap.beep")
  std::string user;
  std::optional<std::string> password;
  std::string host;  // IPv6 references keep their brackets: "[2001:db8::1]"
  std::optional<std::uint16_t> port;
  Params params;
  Params headers;      // ?name=value&...
  std::string opaque;  // UriScheme::Other only

  bool is_sip() const { return scheme == UriScheme::Sip || scheme == UriScheme::Sips; }
  std::string to_string() const;
  // URI comparison of RFC 3261 section 19.1.4 (case rules, escapes, parameter rules).
  bool equivalent(const Uri& other) const;
};

base::Expected<Uri, ParseError> parse_uri(std::string_view text);

// %XX-decoding; invalid escapes are left as written.
std::string unescape(std::string_view text);

}  // namespace kolokol::sip
