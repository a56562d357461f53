#pragma once

// The SDP module in one include: model, parser, serializer, typed attributes and the RFC 3264
// offer/answer engine. Everything here is a pure function of its arguments.
#include "sdp/answer.h"               // IWYU pragma: export
#include "sdp/answer_processing.h"    // IWYU pragma: export
#include "sdp/attributes.h"           // IWYU pragma: export
#include "sdp/capabilities.h"         // IWYU pragma: export
#include "sdp/codec.h"                // IWYU pragma: export
#include "sdp/error.h"                // IWYU pragma: export
#include "sdp/hold.h"                 // IWYU pragma: export
#include "sdp/negotiated.h"           // IWYU pragma: export
#include "sdp/offer.h"                // IWYU pragma: export
#include "sdp/parser.h"               // IWYU pragma: export
#include "sdp/serializer.h"           // IWYU pragma: export
#include "sdp/session_description.h"  // IWYU pragma: export
