#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdp/attributes.h"

namespace kolokol::sdp {

// A codec both sides agreed on. The payload type numbers may differ per direction (RFC 3264
// 6.1 lets the answerer renumber): RTP we send carries send_payload_type, RTP we receive
// carries receive_payload_type.
struct NegotiatedCodec {
  std::string encoding_name;
  std::uint32_t clock_rate = 8000;
  std::uint32_t channels = 1;
  std::uint8_t send_payload_type = 0;
  std::uint8_t receive_payload_type = 0;
  std::string send_fmtp;     // the peer's fmtp: how it wants to receive
  std::string receive_fmtp;  // ours
  bool operator==(const NegotiatedCodec&) const = default;
};

// The outcome of one offer/answer exchange for one m= line, from our point of view.
struct NegotiatedMedia {
  std::size_t index = 0;  // m= line, 0-based
  std::string media;
  std::string proto;
  bool accepted = false;  // false: port 0 on either side; nothing else below is meaningful
  std::vector<NegotiatedCodec> codecs;  // in negotiated order; front() is the one to send first
  std::optional<NegotiatedCodec> telephone_event;  // matching codecs.front()'s clock rate if any
  Direction direction = Direction::Inactive;       // ours: SendOnly = we send, peer does not
  std::uint16_t local_port = 0;
  std::string remote_address;
  std::uint16_t remote_port = 0;
  std::optional<Rtcp> remote_rtcp;  // the peer's a=rtcp
  bool rtcp_mux = false;            // both sides asked for it
  bool remote_hold = false;         // the peer asked not to receive (sendonly, inactive, c=0.0.0.0)
  std::optional<std::uint32_t> remote_ptime;
  std::vector<std::string> unmatched_formats;  // peer formats we did not take (diagnostics)
  bool operator==(const NegotiatedMedia&) const = default;
};

}  // namespace kolokol::sdp

namespace kolokol::sdp {

// Puts telephone-event entries aside (keeping the one whose clock rate matches the first media
// codec, else the first one) and the rest, in order, into n.codecs.
void assign_codecs(NegotiatedMedia& n, std::vector<NegotiatedCodec> codecs);

}  // namespace kolokol::sdp
