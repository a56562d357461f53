#pragma once

#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"

namespace kolokol::sip {

// A message the transport layer received, parsed and (for requests) Via-stamped.
struct IncomingMessage {
  Message message;
  Source source;
};

}  // namespace kolokol::sip
