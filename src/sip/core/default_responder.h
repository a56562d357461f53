#pragma once

#include <optional>

#include "sip/core/request_authenticator.h"
#include "sip/core/request_validator.h"
#include "sip/core/response_factory.h"
#include "sip/core/uas_policy.h"
#include "sip/msg/message.h"

namespace kolokol::sip {

// What kolokold answers when no feature (registrar, B2BUA) takes a request: works on plain
// Messages, so the caller (the transaction layer's server-transaction user) sends whatever it
// returns and nothing here knows transports or transactions.
//
//   respond() = validate_request() (RFC 3261 8.2) + answer():
//   OPTIONS            200 with Allow, Accept, Accept-Encoding, Accept-Language, Supported (11.2)
//   REGISTER           401 with Digest challenges; 403 for credentials of no account; 400 for
//                      broken Digest credentials. No registrar yet: even authenticated
//                      requests get 403 (the registrar issue puts itself in front).
//   INVITE             480 Temporarily Unavailable: nobody can be reached before the
//                      registrar and B2BUA exist (the next issue replaces this).
//   BYE CANCEL PRACK UPDATE INFO NOTIFY   481: no dialog or transaction exists for them here
//                      (the transaction layer answers CANCELs that match an INVITE itself).
//   SUBSCRIBE          489 Bad Event (no event package yet); 481 inside a dialog.
//   MESSAGE PUBLISH REFER   405 via the policy; if a policy allows them anyway: 480, 489, 481/480.
//   ACK                nothing (RFC 3261 17.1: never answered).
//   responses          nothing: they belong to client transactions, not here.
// Requests with a defect are answered only when they carry a Via to answer to.
class DefaultResponder {
 public:
  // The policy is copied; factory and authenticator are shared with the components that later
  // sit in front of this one (registrar, B2BUA) and must outlive it.
  DefaultResponder(UasPolicy policy, ResponseFactory& responses, RequestAuthenticator& auth);

  std::optional<Message> respond(const Message& request);
  // The per-method defaults above, for a request that already passed validate_request().
  std::optional<Message> answer(const Message& request);

  const UasPolicy& policy() const { return policy_; }

 private:
  Message answer_options(const Message& request);
  Message answer_register(const Message& request);

  UasPolicy policy_;
  ResponseFactory& responses_;
  RequestAuthenticator& auth_;
};

}  // namespace kolokol::sip
