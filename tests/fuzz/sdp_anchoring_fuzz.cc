// libFuzzer target for the B2BUA's media anchoring: for any SDP the parser accepts, the body
// anchored_sdp writes for the other leg must parse again, point its first live audio stream at
// our relay (or keep a legacy hold address), and disable every other stream.
// Build and run: scripts/fuzz.sh 60 sdp_anchoring_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "call/sdp_anchoring.h"
#include "media/engine/udp_address.h"
#include "sdp/parser.h"

namespace {

using namespace kolokol;

void require(bool condition) {
  if (!condition) std::abort();
}

// Anchoring may grow a body (a c= per stream, CRLF), so its output is read with room to spare.
constexpr sdp::ParseLimits kRoomy{1 << 20, 100000, 128};

bool is_live_audio(const sdp::MediaDescription& m) {
  return m.media == "audio" && !m.rejected() && m.proto.starts_with("RTP/");
}

std::optional<std::size_t> first_live_audio(const sdp::SessionDescription& description) {
  for (std::size_t i = 0; i < description.media.size(); ++i) {
    if (is_live_audio(description.media[i])) return i;
  }
  return std::nullopt;
}

void check_anchoring(const sdp::SessionDescription& original, const std::string& address,
                     std::uint16_t port) {
  const std::string body = call::anchored_sdp(original, address, port);
  auto anchored = sdp::parse(body, kRoomy);
  require(anchored.has_value());
  require(anchored->media.size() == original.media.size());
  require(anchored->origin.address == address);

  const auto live = first_live_audio(original);
  for (std::size_t i = 0; i < anchored->media.size(); ++i) {
    if (live && i == *live) continue;
    require(anchored->media[i].port == 0);  // not relayed, so not reachable either
  }
  (void)call::relay_remote_of(original);
  const auto remote = call::relay_remote_of(*anchored);
  if (!live) {
    require(!remote.has_value());
    return;
  }
  require(first_live_audio(*anchored) == live);
  require(remote.has_value());
  const sdp::Connection* theirs = original.connection_for(original.media[*live]);
  const auto ours = media::UdpAddress::parse(address, port);
  require(ours.has_value());
  if (theirs && theirs->is_unspecified()) {
    // A legacy hold stays a hold: the unspecified address, and nothing sent to it.
    require(!remote->sends);
    require(!remote->rtp.valid() || remote->rtp.ip() == theirs->address);
    return;
  }
  require(remote->rtp == *ours);
  require(remote->rtcp_mux ||
          remote->rtcp == ours->with_port(static_cast<std::uint16_t>(port + 1)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = sdp::parse(text);
  if (!parsed) return 0;
  // Relay ports are even and in the dynamic range; the address family varies with the input.
  const std::uint16_t port = static_cast<std::uint16_t>(10000 + (size % 20000) * 2);
  check_anchoring(*parsed, "203.0.113.7", port);
  check_anchoring(*parsed, "2001:db8::7", static_cast<std::uint16_t>(port + 2));
  return 0;
}
