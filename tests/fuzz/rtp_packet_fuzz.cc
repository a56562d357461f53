// libFuzzer target for the RTP packet reader: it must never read outside the datagram, and
// what it accepts must serialize back to the same bytes (padding aside).
// Build: scripts/fuzz.sh 30 rtp_packet_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "media/rtp/rtp_packet.h"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kolokol::media;
  const std::span<const std::uint8_t> datagram(data, size);
  auto packet = parse_rtp(datagram);
  if (!packet) return 0;
  require(packet->payload.data() >= data &&
          packet->payload.data() + packet->payload.size() <= data + size);
  std::vector<std::uint8_t> out(serialized_rtp_size(*packet));
  const std::size_t written = serialize_rtp(*packet, out);
  require(written == out.size());
  // Without padding the bytes come back unchanged; with it, all but the P bit and the padding.
  const std::size_t unpadded = size - packet->padding;
  require(written == unpadded);
  for (std::size_t i = 1; i < written; ++i) require(out[i] == data[i]);
  require((out[0] | (packet->padding ? 0x20 : 0)) == data[0]);
  auto again = parse_rtp(out);
  require(again && again->sequence == packet->sequence && again->ssrc == packet->ssrc &&
          again->payload.size() == packet->payload.size());
  return 0;
}
