#pragma once

#include <string>

#include "base/expected.h"
#include "sip/msg/via.h"
#include "sip/transport/endpoint.h"

namespace kolokol::sip {

// Where a response goes when it cannot (or need not) reuse the request's connection, per
// RFC 3261 section 18.2.2 and RFC 3581 section 4, decided from the response's top Via and the
// transport the request came over:
//   reliable: received (else the sent-by host) at the sent-by port (default 5060/5061);
//   UDP:      maddr at the sent-by port; else received at rport (when it has a value) or the
//             sent-by port; else the sent-by host.
// Host names are never resolved here: a sent-by that is no IP literal needs a received
// parameter. Unspecified, broadcast and multicast destinations are refused.
// The error names the reason (it goes into a log line).
base::Expected<Endpoint, std::string> route_response(const Via& top_via, Transport transport);

}  // namespace kolokol::sip
