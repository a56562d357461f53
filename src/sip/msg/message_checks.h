#pragma once

#include "sip/msg/message.h"

namespace kolokol::sip {

// Applies the RFC 3261 rules that turn a readable message into one with a defect (mandatory
// headers, single-value headers, well-formed Via/From/To/CSeq/Call-ID/Max-Forwards/Contact,
// request/CSeq method match). Fills the typed caches as a side effect.
void check_message(Message& message);

}  // namespace kolokol::sip
