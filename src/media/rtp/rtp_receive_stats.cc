#include "media/rtp/rtp_receive_stats.h"

#include <algorithm>
#include <cstdlib>

namespace kolokol::media {

void RtpReceiveStats::on_packet(std::uint16_t sequence, std::uint32_t rtp_timestamp,
                                std::uint32_t arrival) {
  if (!started_) {
    started_ = true;
    base_sequence_ = sequence;
    max_sequence_ = sequence;
    bad_sequence_ = 0x10001;
  } else {
    const std::uint16_t delta = static_cast<std::uint16_t>(sequence - max_sequence_);
    if (delta == 0) {
      ++late_;  // a duplicate of the newest packet
      return;
    }
    if (delta < kMaxDropout) {
      if (sequence < max_sequence_) cycles_ += 0x10000;  // wrapped
      max_sequence_ = sequence;
    } else if (delta <= 0xFFFF - kMaxMisorder) {
      // A large jump: either the sender restarted or this packet is garbage. Only a second
      // packet continuing from it resynchronises (RFC 3550 A.1).
      if (sequence == bad_sequence_) {
        const std::uint64_t kept_received = received_;
        const std::uint64_t kept_late = late_;
        reset();
        started_ = true;
        base_sequence_ = sequence;
        max_sequence_ = sequence;
        received_ = kept_received;
        late_ = kept_late;
      } else {
        bad_sequence_ = (static_cast<std::uint32_t>(sequence) + 1) & 0xFFFF;
        return;
      }
    } else {
      ++late_;  // reordered or duplicated, older than the newest
    }
  }
  ++received_;
  // A.8: D(i-1,i) = (Rj - Ri) - (Sj - Si), J += (|D| - J) / 16.
  const std::int64_t transit =
      static_cast<std::int64_t>(arrival) - static_cast<std::int64_t>(rtp_timestamp);
  if (have_transit_) {
    std::int64_t d = transit - last_transit_;
    // Both clocks are 32-bit; a wrap in either shows up as a jump of about 2^32.
    if (d > 0x7FFFFFFFLL) d -= 0x100000000LL;
    if (d < -0x7FFFFFFFLL) d += 0x100000000LL;
    const std::int64_t magnitude = std::llabs(d);
    const std::int64_t updated =
        static_cast<std::int64_t>(jitter_q4_) + magnitude - ((jitter_q4_ + 8) >> 4);
    // Saturate: a hostile peer's timestamps must not wrap the figure the CDR reports.
    jitter_q4_ = static_cast<std::uint32_t>(std::clamp<std::int64_t>(updated, 0, 0xFFFFFFFF));
  }
  have_transit_ = true;
  last_transit_ = transit;
}

std::uint64_t RtpReceiveStats::expected() const {
  if (!started_) return 0;
  return static_cast<std::uint64_t>(extended_highest_sequence()) - base_sequence_ + 1;
}

std::uint64_t RtpReceiveStats::lost() const {
  const std::uint64_t exp = expected();
  const std::uint64_t in_order = received_;
  return exp > in_order ? exp - in_order : 0;
}

}  // namespace kolokol::media
