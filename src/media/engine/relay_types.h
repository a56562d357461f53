#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "media/engine/udp_address.h"

namespace kolokol::media {

// The two call legs a relay joins: A is the caller's side, B the callee's.
enum class RelaySide : std::uint8_t { A = 0, B = 1 };
constexpr RelaySide other_side(RelaySide side) {
  return side == RelaySide::A ? RelaySide::B : RelaySide::A;
}
constexpr int index_of(RelaySide side) {
  return static_cast<int>(side);
}

// One payload type of a leg's SDP (a=rtpmap, or a static type without one: empty name).
struct RelayFormat {
  std::uint8_t payload_type = 0;
  std::string encoding_name;
  std::uint32_t clock_rate = 0;
  std::uint8_t channels = 0;
};

// Where a leg said (in its SDP) it receives media, and whether it said it sends any.
struct RelayRemote {
  UdpAddress rtp;
  UdpAddress rtcp;  // a=rtcp, else the RTP port + 1; ignored with rtcp-mux
  bool rtcp_mux = false;
  std::uint32_t clock_rate = 8000;   // of the first format, for jitter in time units
  bool sends = true;                 // false on hold (sendonly from the other side / inactive)
  std::vector<RelayFormat> formats;  // what its payload types mean, for DTMF and recording
  bool encrypted = false;            // SRTP end to end: relayed, never decoded
};

// What the worker has seen of one leg. Written by the relay's worker only (relaxed stores),
// read by anyone at any time, e.g. for the CDR when the call ends.
struct RelayLegCounters {
  std::atomic<std::uint64_t> packets_in{0};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> packets_out{0};  // sent towards this leg
  std::atomic<std::uint64_t> bytes_out{0};
  std::atomic<std::uint64_t> lost_in{0};       // gaps in the sequence numbers the leg sent
  std::atomic<std::uint32_t> jitter_in_us{0};  // interarrival jitter of what the leg sent
  std::atomic<std::uint32_t> max_jitter_in_us{0};
  std::atomic<std::uint64_t> dropped{0};  // malformed, from a stranger, or nowhere to send
  std::atomic<std::uint64_t> rtcp_in{0};
  // From the leg's own RTCP receiver reports on the stream we send it; -1: none received.
  std::atomic<std::int64_t> reported_lost{-1};
  std::atomic<std::uint32_t> reported_jitter_us{0};
  std::atomic<std::uint32_t> ssrc_changes{0};
};

// A plain copy of one leg's counters.
struct RelayLegStats {
  std::uint64_t packets_in = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t packets_out = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t lost_in = 0;
  std::uint32_t jitter_in_us = 0;
  std::uint32_t max_jitter_in_us = 0;
  std::uint64_t dropped = 0;
  std::uint64_t rtcp_in = 0;
  std::int64_t reported_lost = -1;
  std::uint32_t reported_jitter_us = 0;
  std::uint32_t ssrc_changes = 0;
};
RelayLegStats snapshot(const RelayLegCounters& counters);

enum class RelayEventKind : std::uint8_t {
  RtpTimeout,  // a leg that should send sent nothing for the configured time
  Digit,       // a leg pressed a key (RFC 4733 event or, when enabled, an in-band tone)
};
struct RelayEvent {
  RelayEventKind kind = RelayEventKind::RtpTimeout;
  RelaySide side = RelaySide::A;
  char digit = 0;  // Digit: '0'-'9', '*', '#', 'A'-'D', 'F' (flash)
  std::uint32_t duration_ms = 0;
  bool inband = false;  // Digit: detected in the audio rather than sent as an RFC 4733 event
};
// Called on the relay's worker thread: post it to wherever the owner lives.
using RelayNotify = std::function<void(RelayEvent)>;

}  // namespace kolokol::media
