#pragma once

#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"

namespace kolokol::sip {

// RFC 3261 section 18.2.1 and RFC 3581 section 4 on a received request: adds
// received=<source address> when the top Via's sent-by host is not the source address (a host
// name always differs) or when the Via carries rport, and fills a bare rport with the source
// port. Returns true when the Via was changed. A request without a readable top Via is left
// alone (the core answers it 400).
bool stamp_received_via(Message& request, const Endpoint& source);

}  // namespace kolokol::sip
