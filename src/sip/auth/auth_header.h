#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"

namespace kolokol::sip {

// One "name=value" of an auth header (RFC 3261 25.1 auth-param). value is unquoted and
// unescaped; quoted records how it was written so unknown parameters round-trip.
struct AuthParam {
  std::string name;
  std::string value;
  bool quoted = false;
  bool operator==(const AuthParam&) const = default;
};

// The value of a WWW-Authenticate, Proxy-Authenticate, Authorization or Proxy-Authorization
// header: a scheme and its parameters. For schemes other than Digest only the scheme is
// interpreted; the rest is kept as written in other_text (it may be a token68, RFC 7235).
struct AuthValue {
  std::string scheme;
  std::vector<AuthParam> params;  // Digest only
  std::string other_text;         // other schemes only

  bool is_digest() const;
  const AuthParam* find(std::string_view name) const;  // case-insensitive name
  std::string to_string() const;
};

enum class AuthParseFailure : std::uint8_t {
  Malformed,         // not the auth-param grammar, or over the size limits
  UnknownScheme,     // well-formed but not Digest (e.g. RFC 4475 regaut01)
  MissingParameter,  // Digest without a parameter the RFC requires
  BadParameter,      // a parameter with an impossible value (nc not 8 hex digits ...)
};

struct AuthParseError {
  AuthParseFailure failure = AuthParseFailure::Malformed;
  std::string detail;  // for logs and Warning headers
};

// Work bounds: values longer than this, or with more parameters, are refused as Malformed.
inline constexpr std::size_t kMaxAuthValueLength = 8192;
inline constexpr std::size_t kMaxAuthParams = 64;

// Parses one header value. Digest parameters are split and unquoted; duplicate parameter names
// are Malformed (RFC 7616 3.4: each directive at most once).
base::Expected<AuthValue, AuthParseError> parse_auth_value(std::string_view text);

// A quoted-string with '"' and '\' escaped (RFC 3261 25.1).
std::string quote_auth_string(std::string_view value);

}  // namespace kolokol::sip
