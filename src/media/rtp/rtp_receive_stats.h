#pragma once

#include <cstdint>

namespace kolokol::media {

// What a receiver learns about one RTP source from the packets themselves (RFC 3550 appendix
// A.1, A.3 and A.8): the extended highest sequence number with wrap cycles, packets expected and
// lost, and the interarrival jitter. One instance per SSRC; a new SSRC starts a new one (the
// caller resets it), and a sequence jump of more than kMaxDropout is taken as a restarted
// sender once two packets in a row confirm it, as the RFC's probation logic does.
class RtpReceiveStats {
 public:
  static constexpr std::uint16_t kMaxDropout = 3000;
  static constexpr std::uint16_t kMaxMisorder = 100;

  // `arrival` is the arrival time in units of the stream's RTP clock (e.g. 8,000 per second for
  // G.711), so that jitter comes out in timestamp units as RFC 3550 defines it.
  void on_packet(std::uint16_t sequence, std::uint32_t rtp_timestamp, std::uint32_t arrival);
  void reset() { *this = RtpReceiveStats{}; }

  std::uint64_t received() const { return received_; }
  std::uint64_t duplicates_or_late() const { return late_; }
  std::uint32_t extended_highest_sequence() const { return cycles_ + max_sequence_; }
  std::uint64_t expected() const;
  // Cumulative lost (expected - received); negative when duplicates outnumber losses (RFC 3550
  // allows that), clamped to 0 here because a CDR reader would not know what to make of it.
  std::uint64_t lost() const;
  // Interarrival jitter in RTP timestamp units (the RFC's J, without its 1/16 scaling).
  std::uint32_t jitter() const { return jitter_q4_ >> 4; }
  bool started() const { return started_; }

 private:
  bool started_ = false;
  std::uint16_t max_sequence_ = 0;
  std::uint32_t cycles_ = 0;  // count of wraps, shifted left 16
  std::uint32_t base_sequence_ = 0;
  std::uint32_t bad_sequence_ = 0x10001;  // "not a valid sequence" (RFC 3550 A.1 RTP_SEQ_MOD + 1)
  std::uint64_t received_ = 0;
  std::uint64_t late_ = 0;
  bool have_transit_ = false;
  std::int64_t last_transit_ = 0;
  std::uint32_t jitter_q4_ = 0;  // jitter * 16, as in the RFC's integer implementation
};

}  // namespace kolokol::media
