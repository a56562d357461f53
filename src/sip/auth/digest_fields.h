#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "sip/auth/auth_header.h"
#include "sip/auth/digest_algorithm.h"

namespace kolokol::sip {

// A Digest challenge (WWW-Authenticate / Proxy-Authenticate, RFC 7616 3.3).
struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::optional<std::string> opaque;
  std::optional<std::string> domain;
  bool stale = false;
  std::string algorithm_text;                // as written; empty when absent
  std::optional<DigestAlgorithm> algorithm;  // MD5 when absent; empty when unknown
  std::vector<std::string> qop_options;      // "auth", "auth-int" or anything else, as offered
  std::vector<AuthParam> extra;              // parameters not named above, kept

  bool offers_qop(DigestQop qop) const;
  std::string to_string() const;  // "Digest realm=..., nonce=..., ..."
};

// Digest credentials (Authorization / Proxy-Authorization, RFC 7616 3.4).
struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;
  std::string algorithm_text;
  std::optional<DigestAlgorithm> algorithm;  // MD5 when absent; empty when unknown
  std::optional<std::string> cnonce;
  std::optional<std::string> opaque;
  std::string qop_text;          // empty when absent (RFC 2069)
  std::optional<DigestQop> qop;  // None when absent; empty when unknown
  std::string nc;                // 8 hex digits, empty when absent
  bool userhash = false;
  std::vector<AuthParam> extra;

  std::string to_string() const;
};

// Accept a Digest value only; UnknownScheme for others. Missing realm or nonce (challenge), or
// missing username, realm, nonce, uri or response (credentials) is MissingParameter; qop without
// cnonce/nc, or an nc that is not 8 hex digits, is BadParameter.
base::Expected<DigestChallenge, AuthParseError> parse_digest_challenge(std::string_view text);
base::Expected<DigestCredentials, AuthParseError> parse_digest_credentials(std::string_view text);

// nc as the 8 lower-case hex digits the protocol wants; parse_nonce_count() accepts either case.
std::string format_nonce_count(std::uint32_t count);
std::optional<std::uint32_t> parse_nonce_count(std::string_view nc);

}  // namespace kolokol::sip
