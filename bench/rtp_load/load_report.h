#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "latency_histogram.h"
#include "sip_agent.h"
#include "udp_socket.h"

namespace kolokol::rtpload {

// Every stream's receive statistics summed up, against what the senders sent.
struct MediaTotals {
  std::size_t streams = 0;         // endpoints that were in a call
  std::size_t silent_streams = 0;  // ... and received nothing
  std::size_t streams_with_loss = 0;
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::uint64_t unique = 0;
  std::uint64_t lost = 0;  // sent - unique received, over every stream
  std::uint64_t lost_in_sequence = 0;
  std::uint64_t lost_at_start = 0;  // before a stream's first received packet
  std::uint64_t lost_at_end = 0;    // after its last one
  std::uint64_t duplicates = 0;
  std::uint64_t out_of_order = 0;
  std::uint64_t foreign = 0;
  std::uint64_t malformed = 0;
  std::uint64_t send_errors = 0;
  double max_jitter_ms = 0;   // the highest RFC 3550 estimate any stream reached
  double mean_jitter_ms = 0;  // of the streams' final estimates
  LatencyHistogram latency;
};

MediaTotals sum_media(const EndpointSet& endpoints);

struct RunFacts {
  std::size_t calls_asked = 0;
  std::size_t calls_up = 0;
  std::size_t calls_failed = 0;
  std::size_t callee_dialogs_left_open = 0;
  double setup_seconds = 0;
  double media_seconds = 0;    // from the last call up to the hang-up
  double own_cpu_percent = 0;  // of one core, during the media phase
  std::uint64_t late_ticks = 0;
  std::uint64_t skipped_packets = 0;
  std::map<std::string, std::uint64_t> kernel_udp_delta;
};

void print_text(const RunFacts& run, const MediaTotals& media, const SipAgent& sip);
std::string json_line(const RunFacts& run, const MediaTotals& media, const SipAgent& sip);

}  // namespace kolokol::rtpload
