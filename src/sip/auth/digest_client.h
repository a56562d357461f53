#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/auth/digest_fields.h"
#include "sip/msg/message.h"

namespace kolokol::sip {

// The answer to one challenge (RFC 7616 3.4): a pure function, also used by the tests with the
// RFC vectors. qop: Auth when offered, AuthInt when only that is offered, None (RFC 2069) when
// the challenge offers no qop. Empty when the challenge cannot be answered (unknown algorithm,
// only unknown qop values).
struct DigestAnswerInput {
  std::string_view username;
  std::string_view password;
  std::string_view method;
  std::string_view uri;
  std::string_view body;    // auth-int only
  std::string_view cnonce;  // unused without qop
  std::uint32_t nc = 1;
};
std::optional<DigestCredentials> answer_challenge(const DigestChallenge& challenge,
                                                  const DigestAnswerInput& input);

// Digest authentication as a client (a UAC registering to a trunk, sending INVITEs through a
// proxy): keeps the challenges of the last 401/407 per realm and answers them on each new
// request, with nc counting up per nonce (RFC 7616 3.4: one nonce may serve many requests).
// Not thread-safe; one per registration or outgoing call.
class DigestClient {
 public:
  using CnonceSource = std::function<std::string()>;

  DigestClient(std::string username, std::string password);  // cnonces from OpenSSL RAND_bytes
  DigestClient(std::string username, std::string password, CnonceSource cnonce_source);

  enum class ChallengeOutcome : std::uint8_t {
    Retry,              // answer the new challenges with the request (first time, or new realm)
    RetryStale,         // the nonce aged out: retry with the same password (stale=true)
    Rejected,           // the server refused our answer for a realm again: wrong credentials
    NoUsableChallenge,  // no Digest challenge with an algorithm/qop we can answer
  };

  // Reads WWW-Authenticate (401) or Proxy-Authenticate (407) headers of the response. Per realm
  // the strongest supported challenge wins: SHA-256, SHA-256-sess, MD5, MD5-sess.
  ChallengeOutcome on_challenge(const Message& response);

  // Adds Authorization / Proxy-Authorization for every realm challenged so far; returns whether
  // it added any. Call again for every new request (or retransmission-free resend with a new
  // CSeq): each call uses the next nc.
  bool authorize(Message& request);

  void forget_challenges() { realms_.clear(); }

 private:
  struct RealmState {
    DigestChallenge challenge;
    bool proxy = false;  // answer with Proxy-Authorization
    std::uint32_t next_nc = 1;
    bool answered = false;  // a request carried an answer to this challenge
  };

  std::string username_;
  std::string password_;
  CnonceSource cnonce_source_;
  std::vector<RealmState> realms_;
};

// Rank for choosing among challenges: higher is preferred, empty when we cannot answer it.
std::optional<int> challenge_preference(const DigestChallenge& challenge);

}  // namespace kolokol::sip
