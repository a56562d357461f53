#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sip/auth/digest_server.h"
#include "sip/msg/message.h"

namespace kolokol::sip {

// Finds an account's digest secret; empty when the user does not exist in that realm.
// Synchronous: the account store is an in-memory snapshot on the SIP thread.
using AccountLookup =
    std::function<std::optional<DigestSecret>(std::string_view username, std::string_view realm)>;

struct AuthOutcome {
  enum class Kind : std::uint8_t {
    Authenticated,  // username holds the verified user
    Challenge,      // answer 401/407 with fresh challenges (stale says whether stale=true)
    Forbidden,      // 403: unknown user, wrong password or nothing to verify against
    BadRequest,     // 400: broken Digest credentials or a uri that is not the Request-URI
  };
  Kind kind = Kind::Challenge;
  bool stale = false;
  std::string username;
  std::string detail;  // why, for logs and Warning headers
};

// The UAS side of RFC 3261 22.2/22.3 over a DigestServer: picks the credentials for our realm
// out of Authorization (or Proxy-Authorization) headers, ignoring other schemes and realms,
// and turns the digest verdict into what to answer. Unknown users and wrong passwords get the
// same 403 so the answer does not reveal which accounts exist.
class RequestAuthenticator {
 public:
  RequestAuthenticator(DigestServer& digest, AccountLookup lookup);

  // realm: the tenant's realm; empty means the DigestServer's own.
  AuthOutcome authenticate(const Message& request, bool proxy = false, std::string_view realm = {});
  // Adds the challenges to a 401 or 407 response made for the request.
  void add_challenges(Message& response, bool stale, std::string_view realm = {}) {
    digest_.add_challenges(response, stale, realm);
  }

 private:
  DigestServer& digest_;
  AccountLookup lookup_;
};

}  // namespace kolokol::sip
