#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kolokol::rtpload {

// Just enough SDP for G.711 audio on 127.0.0.1: the tool writes offers and answers itself and
// reads where the other side (or the PBX relay) wants its RTP.
struct AudioOffer {
  sockaddr_in address{};           // c= (session or media level) and m=audio port
  std::vector<int> payload_types;  // in the m= line's order
};

// An offer (PCMU and PCMA) or an answer (the one payload type chosen).
std::string make_sdp(std::string_view user, std::uint64_t session_id, std::uint16_t port,
                     const std::vector<int>& payload_types);

// The first audio stream with a non-zero port and an IPv4 connection address; nullopt when
// there is none.
std::optional<AudioOffer> read_audio(std::string_view sdp);

// PCMU if offered, else PCMA; nullopt when neither.
std::optional<int> choose_g711(const std::vector<int>& payload_types);

}  // namespace kolokol::rtpload
