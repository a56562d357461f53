#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kolokol::sip {

// The digest algorithms of RFC 8760 that SIP peers actually use. SHA-512-256 is not offered:
// hardly any phone implements it, and a challenge naming it is skipped by the client.
enum class DigestAlgorithm : std::uint8_t { Md5, Md5Sess, Sha256, Sha256Sess };

std::string_view algorithm_name(DigestAlgorithm algorithm);  // "MD5", "SHA-256-sess" ...
// Case-insensitive; empty when unknown. (An absent parameter means MD5, RFC 2617 3.2.1: the
// callers handle that.)
std::optional<DigestAlgorithm> algorithm_from_name(std::string_view name);
bool is_session_algorithm(DigestAlgorithm algorithm);
DigestAlgorithm base_algorithm(DigestAlgorithm algorithm);  // Md5Sess -> Md5

// Lower-case hex digest of data with the hash of the algorithm (MD5 or SHA-256).
std::string digest_hex(DigestAlgorithm algorithm, std::string_view data);

// Which part of the request the response covers (RFC 7616 3.4.3).
enum class DigestQop : std::uint8_t { None, Auth, AuthInt };    // None: RFC 2069 compatibility
std::string_view qop_name(DigestQop qop);                       // "" for None
std::optional<DigestQop> qop_from_name(std::string_view name);  // "auth", "auth-int"

// H(username ":" realm ":" password), the HA1 an account store may keep instead of the password.
// It depends only on the base algorithm: the -sess variants derive from it per nonce.
std::string compute_ha1(DigestAlgorithm algorithm, std::string_view username,
                        std::string_view realm, std::string_view password);

// The inputs of the response value, all as they appear in the credentials.
struct DigestResponseInput {
  DigestAlgorithm algorithm = DigestAlgorithm::Md5;
  std::string_view ha1;  // compute_ha1() of the base algorithm
  std::string_view nonce;
  std::string_view cnonce;
  std::string_view nc;  // 8 hex digits
  DigestQop qop = DigestQop::Auth;
  std::string_view method;
  std::string_view uri;   // the "uri" directive, exactly as sent
  std::string_view body;  // auth-int only
};

// request-digest of RFC 7616 3.4.1 (and RFC 2069 when qop is None), lower-case hex.
std::string compute_response(const DigestResponseInput& input);

// Compares two hex digests in time independent of where they differ; case-insensitive.
bool digests_equal(std::string_view expected, std::string_view received);

}  // namespace kolokol::sip
