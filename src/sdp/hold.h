#pragma once

#include <cstddef>
#include <optional>

#include "sdp/attributes.h"
#include "sdp/session_description.h"

// Re-offers that change only directions (RFC 3264 8.4). Each takes the last description we sent
// in the session and returns the next offer, o= version bumped when anything changed. Streams
// with port 0 are left alone; index selects one m= line, nullopt means all of them.
namespace kolokol::sdp {

// Asks the peer to stop sending: sendrecv -> sendonly, recvonly -> inactive.
SessionDescription hold(const SessionDescription& previous,
                        std::optional<std::size_t> index = std::nullopt);

// Takes the hold back: sendonly -> sendrecv, inactive -> recvonly.
SessionDescription unhold(const SessionDescription& previous,
                          std::optional<std::size_t> index = std::nullopt);

SessionDescription with_direction(const SessionDescription& previous, std::size_t index,
                                  Direction direction);

// Whether the peer's description for that stream asks us not to send: a=sendonly, a=inactive
// (media- or session-level) or the legacy c=0.0.0.0 / c=::. False for a missing or disabled one.
bool is_hold(const SessionDescription& remote, std::size_t index);

}  // namespace kolokol::sdp
