#pragma once

#include <array>
#include <cstdint>

namespace kolokol::rtpload {

// What the receiver of one RTP stream saw: sequence accounting in the spirit of RFC 3550 A.1
// (extended sequence numbers, so wrap-around is not loss) and the interarrival jitter of A.8.
// Allocation-free: it is updated for every packet on a media thread.
class ReceiveStats {
 public:
  void on_packet(std::uint16_t sequence, std::uint32_t rtp_timestamp, std::int64_t arrival_ns);

  std::uint64_t received() const { return received_; }  // every datagram, duplicates included
  std::uint64_t unique() const { return received_ - duplicates_; }
  std::uint64_t duplicates() const { return duplicates_; }
  std::uint64_t out_of_order() const { return out_of_order_; }
  // Holes between the first and the highest sequence number seen (packets lost at the very end
  // of the stream are invisible here; the caller compares with what the sender sent).
  std::uint64_t lost_in_sequence() const;
  // Low 16 bits of the lowest sequence number received (0 before any packet).
  std::uint16_t first_sequence() const { return static_cast<std::uint16_t>(first_); }
  double jitter_ms() const { return jitter_ / kUnitsPerMs; }
  double peak_jitter_ms() const { return peak_jitter_ / kUnitsPerMs; }

 private:
  static constexpr double kUnitsPerMs = 8.0;     // the G.711 RTP clock is 8 kHz
  static constexpr std::int64_t kWindow = 1024;  // sequence numbers remembered for duplicates

  bool seen(std::int64_t extended) const;
  void mark(std::int64_t extended);
  void advance_window(std::int64_t from, std::int64_t to);

  bool started_ = false;
  std::int64_t first_ = 0;    // extended sequence of the first packet
  std::int64_t highest_ = 0;  // highest extended sequence so far
  std::uint64_t received_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t out_of_order_ = 0;
  std::int64_t last_arrival_ns_ = 0;
  std::uint32_t last_timestamp_ = 0;
  double jitter_ = 0;  // in RTP timestamp units
  double peak_jitter_ = 0;
  std::array<std::uint64_t, kWindow / 64> window_{};
};

}  // namespace kolokol::rtpload
