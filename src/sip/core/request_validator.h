#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sip/core/uas_policy.h"
#include "sip/msg/header_id.h"
#include "sip/msg/message.h"

namespace kolokol::sip {

// The answer a UAS check demands: a status, an optional reason phrase, an optional Warning text
// naming the problem (RFC 3261 20.43, code 399) and the headers RFC 3261 wants with that
// status (Allow with 405, Unsupported with 420, Accept/Accept-Encoding with 415).
struct Rejection {
  int status = 400;
  std::string reason;   // empty: the standard phrase
  std::string warning;  // empty: no Warning header
  std::vector<std::pair<HeaderId, std::string>> headers;
};

// The request checks of RFC 3261 8.2, in the order of the RFC, as a pure function of the
// request and the policy. Empty optional: go on processing the request.
//   0. parser defect (missing/malformed/repeated mandatory headers, bad Request-URI, method
//      mismatch, bad version): its status (400 or 505) with the reason as Warning;
//      a Contact header that does not parse is a defect too (RFC 4475 regbadct);
//   8.2.1   unknown method -> 501; known but not allowed -> 405 with Allow;
//   8.2.2.1 Request-URI scheme not sip/sips/tel -> 416; host we do not serve -> 404 (not 403:
//           the request is not relayed, the target simply does not exist here);
//   8.2.2.3 Require with option tags we lack -> 420 with Unsupported (never for ACK or
//           CANCEL). Proxy-Require is for proxies and a UAS ignores it (RFC 4475 bext01 gets
//           its 420 from the Require header);
//   8.2.3   a body whose Content-Encoding or Content-Type we do not understand -> 415 with
//           Accept and Accept-Encoding; a body without Content-Type -> 400;
//   20.1    Accept that excludes application/sdp on a method answered with SDP -> 406
//           (RFC 4475 sdp01).
// Max-Forwards is not checked: 0 is fine for the target itself (RFC 4475 zeromf); proxies
// check it before forwarding. Call this for requests only; responses are not judged here.
std::optional<Rejection> validate_request(const Message& request, const UasPolicy& policy);

}  // namespace kolokol::sip
