#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/timer_service.h"
#include "sip/auth/digest_algorithm.h"
#include "sip/auth/digest_fields.h"
#include "sip/auth/hmac_sha256.h"
#include "sip/auth/nonce_tracker.h"
#include "sip/msg/message.h"
#include "sip/msg/uri.h"

namespace kolokol::sip {

// What the account store holds for a user: the password, or HA1 values (compute_ha1()) per base
// algorithm so the plain password need not be stored. The server uses whichever fits the
// algorithm of the credentials.
struct DigestSecret {
  std::optional<std::string> password;
  std::optional<std::string> ha1_md5;
  std::optional<std::string> ha1_sha256;
};

enum class DigestVerdict : std::uint8_t {
  Ok,
  Stale,  // correct response on an expired (or forgotten) nonce of ours: re-challenge, stale=true
  WrongRealm,     // credentials for another realm
  Unsupported,    // algorithm, qop or userhash we did not offer
  BadNonce,       // not a nonce (or opaque) this server issued for this realm
  WrongUri,       // the uri directive does not name the Request-URI
  WrongResponse,  // wrong password (or tampered request)
  Replay,         // nc not higher than one already used with this nonce
  NoSecret,       // the DigestSecret has nothing usable for this algorithm
};
std::string_view verdict_name(DigestVerdict verdict);

// Digest authentication as a server (RFC 3261 22, RFC 7616, RFC 8760).
//
// Nonces need no table: nonce = hex(issue time) hex(serial) hex(HMAC-SHA-256(secret, time serial
// realm)), so any authentic nonce can be checked for age with only the secret. The only state is
// the bounded NonceTracker that refuses replayed nonce-counts. Single-threaded (the SIP thread).
class DigestServer {
 public:
  struct Config {
    std::string realm;
    std::chrono::seconds nonce_lifetime{300};
    // One challenge per algorithm, in this order: SHA-256 first as RFC 8760 section 2.4 asks,
    // MD5 for the phones that know nothing else.
    std::vector<DigestAlgorithm> algorithms{DigestAlgorithm::Sha256, DigestAlgorithm::Md5};
    // 16 bytes each, allocated at start. A nonce is refused as stale once this many newer ones
    // were issued: at 8,000 registrations per second 4,096 was half a second, less than a
    // loaded client may take to answer its challenge; 65,536 is 8 s there, hours on a quiet PBX.
    std::size_t max_tracked_nonces = 65536;
    std::string secret;           // empty: 32 random bytes, so nonces die with the process
    bool accept_rfc2069 = false;  // credentials without qop (no replay protection)
  };

  DigestServer(Config config, const base::TimerService& timers);

  const std::string& realm() const { return config_.realm; }
  const Config& config() const { return config_; }

  // One challenge per configured algorithm, sharing one fresh nonce. An empty realm means the
  // configured one (a multi-domain server passes the domain's realm).
  std::vector<DigestChallenge> make_challenges(bool stale, std::string_view realm = {});
  // Adds them to a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) response.
  void add_challenges(Message& response, bool stale, std::string_view realm = {});

  // Verifies credentials for a request with method, Request-URI and body. Realm: as above.
  DigestVerdict verify(const DigestCredentials& credentials, std::string_view method,
                       const Uri& request_uri, const DigestSecret& secret,
                       std::string_view body = {}, std::string_view realm = {});
  DigestVerdict verify(const DigestCredentials& credentials, const Message& request,
                       const DigestSecret& secret, std::string_view realm = {});

  // Whether the nonce is one of ours for the realm and still within its lifetime (without
  // checking credentials): lets a caller tell "log in again" from "retry with a new nonce".
  enum class NonceState : std::uint8_t { Fresh, Expired, Invalid };
  NonceState check_nonce(std::string_view nonce, std::string_view realm = {}) const;

 private:
  struct NonceParts {
    std::uint64_t issued_seconds = 0;
    std::uint64_t serial = 0;
  };
  std::string issue_nonce(std::string_view realm);
  std::optional<NonceParts> authenticate_nonce(std::string_view nonce,
                                               std::string_view realm) const;
  std::string nonce_mac(std::string_view stamp, std::string_view realm) const;
  std::string opaque_for(std::string_view realm) const;
  std::uint64_t now_seconds() const;
  bool offers(DigestAlgorithm algorithm) const;

  Config config_;
  const base::TimerService& timers_;
  HmacSha256 mac_;  // keyed with the secret
  std::uint64_t next_serial_ = 1;
  NonceTracker tracker_;
};

// Whether the uri directive of credentials names the Request-URI (RFC 2617 3.2.2.5): the same
// text, or an equivalent URI by RFC 3261 19.1.4.
bool digest_uri_matches(std::string_view uri_directive, const Uri& request_uri);

}  // namespace kolokol::sip
