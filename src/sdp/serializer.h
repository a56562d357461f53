#pragma once

#include <string>

#include "sdp/session_description.h"

namespace kolokol::sdp {

// Writes CRLF-terminated lines in the order of RFC 8866 section 5:
// v o s i u e p c b (t r z)+ k a, then per stream m i c b k a.
std::string serialize(const SessionDescription& sdp);

std::string to_string(const Connection& c);  // "IN IP4 192.0.2.1" (the value of a c= line)

}  // namespace kolokol::sdp
