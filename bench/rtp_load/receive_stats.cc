#include "receive_stats.h"

#include <cmath>

namespace kolokol::rtpload {

void ReceiveStats::on_packet(std::uint16_t sequence, std::uint32_t rtp_timestamp,
                             std::int64_t arrival_ns) {
  ++received_;
  if (!started_) {
    started_ = true;
    first_ = highest_ = sequence;
    last_arrival_ns_ = arrival_ns;
    last_timestamp_ = rtp_timestamp;
    mark(highest_);
    return;
  }
  // The extended number nearest to the highest so far: a jump back of more than half the
  // space is a wrap, not a very late packet.
  const auto delta = static_cast<std::int16_t>(sequence - static_cast<std::uint16_t>(highest_));
  const std::int64_t extended = highest_ + delta;
  if (extended > highest_) {
    advance_window(highest_, extended);
    highest_ = extended;
  } else if (highest_ - extended >= kWindow || seen(extended)) {
    ++duplicates_;  // too old to tell apart from a duplicate: not counted twice either way
    return;
  } else {
    ++out_of_order_;
  }
  if (extended < first_) first_ = extended;
  mark(extended);

  // RFC 3550 A.8 in timestamp units, as the change of transit time between two packets; the
  // timestamp difference is taken modulo 2^32 so a wrapping RTP clock is not a jump.
  const double arrival_delta = static_cast<double>(arrival_ns - last_arrival_ns_) * 8000.0 / 1e9;
  const auto timestamp_delta = static_cast<std::int32_t>(rtp_timestamp - last_timestamp_);
  const double difference = std::fabs(arrival_delta - timestamp_delta);
  last_arrival_ns_ = arrival_ns;
  last_timestamp_ = rtp_timestamp;
  jitter_ += (difference - jitter_) / 16.0;
  if (jitter_ > peak_jitter_) peak_jitter_ = jitter_;
}

std::uint64_t ReceiveStats::lost_in_sequence() const {
  if (!started_) return 0;
  const auto expected = static_cast<std::uint64_t>(highest_ - first_ + 1);
  return expected > unique() ? expected - unique() : 0;
}

bool ReceiveStats::seen(std::int64_t extended) const {
  const auto bit = static_cast<std::uint64_t>(extended) % kWindow;
  return (window_[bit / 64] >> (bit % 64)) & 1U;
}

void ReceiveStats::mark(std::int64_t extended) {
  const auto bit = static_cast<std::uint64_t>(extended) % kWindow;
  window_[bit / 64] |= std::uint64_t{1} << (bit % 64);
}

// Positions (from, to] are reused for new sequence numbers: forget what they held.
void ReceiveStats::advance_window(std::int64_t from, std::int64_t to) {
  if (to - from >= kWindow) {
    window_.fill(0);
    return;
  }
  for (std::int64_t n = from + 1; n <= to; ++n) {
    const auto bit = static_cast<std::uint64_t>(n) % kWindow;
    window_[bit / 64] &= ~(std::uint64_t{1} << (bit % 64));
  }
}

}  // namespace kolokol::rtpload
