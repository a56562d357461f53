#pragma once

#include <vector>

#include "base/expected.h"
#include "sdp/error.h"
#include "sdp/negotiated.h"
#include "sdp/session_description.h"

namespace kolokol::sdp {

// What an answer to our offer settles, per m= line (RFC 3264 7). Codecs are matched by name,
// clock rate and channels, so an answerer that renumbered a dynamic payload type (RFC 4317 2.3)
// is understood: we send with its number and receive with ours. Answer formats that were not
// offered are legal but unusable and end up in unmatched_formats. Directions are narrowed to
// what both sides allow, so a sloppy sendrecv answer to a sendonly offer still yields sendonly.
// Errors: MediaCountMismatch, MediaTypeMismatch (media type or transport differ), InvalidAnswer
// (accepts a stream we disabled, or an accepted stream has no c=), NoCommonCodec (an accepted
// stream lists no offered codec, or only telephone-event/CN where we offered a media codec).
base::Expected<std::vector<NegotiatedMedia>, NegotiationError> process_answer(
    const SessionDescription& offer, const SessionDescription& answer);

}  // namespace kolokol::sdp
