#pragma once

#include <netinet/in.h>

#include <atomic>
#include <cstdint>
#include <optional>

#include "receive_stats.h"

namespace kolokol::rtpload {

// One RTP port of the load. Every call has two, the caller's and the callee's; each sends one
// stream (to the address the other side's SDP named) and receives one.
//
// Threads: the SIP thread writes remote/payload_type once and then sets `sending` (release); the
// endpoint's media thread reads them after seeing `sending` (acquire) and alone owns `tx`/`rx`.
// The main thread reads tx/rx only after the media threads have been joined.
struct Endpoint {
  int fd = -1;  // owned by EndpointSet
  std::uint16_t port = 0;
  std::uint32_t id = 0;  // index in the EndpointSet; carried in every packet it sends
  bool caller_side = false;

  sockaddr_in remote{};
  std::uint8_t payload_type = 0;
  std::atomic<bool> sending{false};
  std::atomic<bool> in_call{false};  // set with the first `sending`; never cleared

  struct Transmit {
    std::uint32_t ssrc = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint64_t sent = 0;
    std::uint64_t send_errors = 0;  // sendmmsg refused or sent part of a batch
  } tx;

  struct Receive {
    std::optional<std::uint32_t> peer;  // sender id latched from the first packet
    std::uint32_t peer_ssrc = 0;
    std::uint64_t foreign = 0;  // packets from another sender: a relay crossing its calls
    std::uint64_t malformed = 0;
    ReceiveStats stats;
  } rx;

  // Called by the SIP thread when the call is answered.
  void start_sending(const sockaddr_in& to, std::uint8_t pt) {
    remote = to;
    payload_type = pt;
    in_call.store(true, std::memory_order_relaxed);
    sending.store(true, std::memory_order_release);
  }
};

}  // namespace kolokol::rtpload
