#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "media/engine/relay_types.h"
#include "sdp/session_description.h"

namespace kolokol::call {

// How the B2BUA turns one leg's SDP into what it sends the other leg when the PBX anchors the
// media: the first audio stream is pointed at our relay port; the leg's own address becomes
// the relay's destination for it. Pure functions, so the rewriting is tested without sockets.

// The first audio stream that is not rejected: where the leg receives RTP and RTCP, with or
// without rtcp-mux, its clock rate and whether it says it will send. nullopt without one.
std::optional<media::RelayRemote> relay_remote_of(const sdp::SessionDescription& sdp);

// `sdp` with the first live audio stream moved to `address`:`port` (RTCP on port + 1 or muxed as
// the leg negotiated) and the origin's address replaced, so the other leg learns nothing of this
// one's network. ICE attributes go (the relay is the only candidate). Streams other than the
// first audio one are disabled (port 0): only audio is anchored so far. A legacy hold address
// (0.0.0.0) stays, so that the other leg still reads it as hold.
std::string anchored_sdp(const sdp::SessionDescription& sdp, const std::string& address,
                         std::uint16_t port);

}  // namespace kolokol::call
