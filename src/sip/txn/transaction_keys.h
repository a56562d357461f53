#pragma once

#include <string>
#include <string_view>

#include "sip/msg/message.h"

namespace kolokol::sip {

// Lookup keys of the transaction tables. All functions expect the typed headers they read to be
// present (callers check top_via(), cseq(), from(), to() first).

// The method a CSeq names, "INVITE" or the text of an unknown method.
std::string_view cseq_method(const CSeq& cseq);
// The method of a request as written on the start line.
std::string_view request_method(const Message& request);

// Client transactions (17.1.3): top Via branch + CSeq method.
std::string client_key(std::string_view branch, std::string_view method);
std::string client_key_of_response(const Message& response);

// Server transactions (17.2.3). With an RFC 3261 branch: branch, sent-by (host:port, default
// port by transport) and method; otherwise the RFC 2543 fallback: Request-URI, To tag, From tag,
// Call-ID, CSeq number, top Via and method. method and to_tag are passed separately because ACK
// and CANCEL look up the INVITE (method "INVITE", and for ACK the To tag the INVITE had).
std::string server_key(const Message& request, std::string_view method, std::string_view to_tag);
bool has_rfc3261_branch(const Message& request);

// Merged-request detection (8.2.2.2): From tag, Call-ID, CSeq number and method.
std::string merge_key(const Message& request);
// Finding the server INVITE whose 2xx an ACK acknowledges: Call-ID, From tag, To tag, CSeq
// number. message is the 2xx response or the ACK.
std::string ack_2xx_key(const Message& message);

std::string_view to_tag_of(const Message& message);  // "" when absent

}  // namespace kolokol::sip
