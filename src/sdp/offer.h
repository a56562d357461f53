#pragma once

#include "sdp/capabilities.h"
#include "sdp/session_description.h"

namespace kolokol::sdp {

// Builds an offer with one m= line per entry of local.media, in that order.
// previous is the last description we sent in this session (offer or answer), or nullptr for
// the first one. With it the offer keeps previous's o= line and bumps its version only when
// something changed (RFC 3264 8), and keeps previous's m= lines beyond local.media as disabled
// streams (an offer may not remove m= lines, RFC 3264 8.2).
SessionDescription build_offer(const LocalCapabilities& local,
                               const SessionDescription* previous = nullptr);

// The version rule of RFC 3264 8 for any description sent again in a session: next takes the
// o= line of previous, with the version incremented by one if anything else differs and
// unchanged otherwise.
SessionDescription follow_version(const SessionDescription& previous, SessionDescription next);

// The skeleton our descriptions share: o=, s=, session c=, t=0 0.
SessionDescription session_skeleton(const LocalCapabilities& local);

// A disabled copy of an m= line: port 0, its first format (and that format's rtpmap), which is
// what RFC 3264 6 and 8.2 want for rejected and removed streams.
MediaDescription disabled_copy(const MediaDescription& m);

// The m= section for a stream we accept or offer: codecs as given, then ptime, maxptime,
// rtcp-mux, direction and the capability's own attributes.
MediaDescription media_section(const SessionDescription& sdp, const MediaCapabilities& caps,
                               const std::vector<Codec>& codecs, Direction direction, bool rtcp_mux,
                               bool write_sendrecv);

}  // namespace kolokol::sdp
