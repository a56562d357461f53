#pragma once

#include "sip/msg/message.h"

namespace kolokol::sip {

// The ACK a client INVITE transaction sends for a non-2xx final response (RFC 3261 17.1.1.3):
// Request-URI, Call-ID, From, CSeq number and Route of the INVITE, To of the response, one Via
// equal to the INVITE's top Via (same branch, so it matches the server transaction).
Message make_ack_for_non_2xx(const Message& invite, const Message& response);

// The CANCEL for a request (RFC 3261 9.1): Request-URI, Call-ID, From, To, CSeq number and Route
// of the request, CSeq method CANCEL, one Via equal to the request's top Via.
Message make_cancel(const Message& request);

}  // namespace kolokol::sip
