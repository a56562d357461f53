#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "api/http/router.h"

namespace kolokol::http {

// True when `a` and `b` are equal, in a time that depends on their lengths only: comparing a
// secret byte by byte with an early exit tells an attacker, through timing, how much of a guess
// was right.
bool constant_time_equal(std::string_view a, std::string_view b);

// `next` behind an RFC 6750 bearer token: a request without `Authorization: Bearer <token>` or
// with another token gets 401 problem+json with `WWW-Authenticate: Bearer realm="kolokol"` (plus
// error="invalid_token" when a token was sent) and never reaches `next`.
Handler require_bearer(std::shared_ptr<const std::string> token, Handler next);

}  // namespace kolokol::http
