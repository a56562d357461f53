#pragma once

#include <string>

#include "sip/msg/message.h"

namespace kolokol::sip {

// Requests the UAS answers without a server transaction (RFC 3261 8.2.7): OPTIONS outside a
// dialog. They are the keep-alive probes of phones, trunks and load balancers, the bulk of a
// PBX's SIP traffic, and a transaction would hold each one for timer J (32 s) to absorb
// retransmissions that a stateless answer handles just as well by answering again.
bool answered_statelessly(const Message& request);

// The To tag of a stateless answer: derived from the request (Call-ID, From tag, CSeq, branch),
// so every retransmission gets the same tag, as RFC 3261 8.2.7 requires.
std::string stateless_to_tag(const Message& request);

}  // namespace kolokol::sip
