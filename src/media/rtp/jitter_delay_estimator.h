#pragma once

#include <chrono>
#include <cstdint>

namespace kolokol::media {

// How much delay a jitter buffer needs, from the arrivals of one stream. Two measures, both in
// microseconds of the caller's clock:
//  - the interarrival jitter J of RFC 3550 A.8 (smoothed |difference in transit| of consecutive
//    arrivals), from which the target delay is 4 J clamped to [min, max]: the classic playout
//    rule "mean plus four deviations", with J standing in for the deviation;
//  - the floor transit: the least (arrival - media time) over the last 100 to 200 packets, i.e.
//    when a packet that met no queueing would have arrived. Playout is anchored on it, so the
//    delay a packet waits is measured from its best-case arrival. The window lets the floor
//    follow clock drift between sender and receiver.
// J starts at initial_delay / 4 (a prior: the target starts at the initial delay and moves as
// evidence accumulates, instead of starting at the minimum and losing the first packets).
class JitterDelayEstimator {
 public:
  JitterDelayEstimator(std::chrono::microseconds min_delay, std::chrono::microseconds max_delay,
                       std::chrono::microseconds initial_delay);

  // A new media timeline (resync): the transit history no longer applies; the jitter, which
  // describes the network path, is kept.
  void restart();
  void on_arrival(std::int64_t media_time_us, std::int64_t arrival_us);

  std::chrono::microseconds jitter() const { return std::chrono::microseconds(jitter_q4_ >> 4); }
  std::chrono::microseconds target() const;
  // Meaningful once on_arrival() has been called since the last restart().
  std::int64_t floor_transit_us() const;

 private:
  static constexpr int kWindowPackets = 100;

  std::int64_t min_delay_us_;
  std::int64_t max_delay_us_;
  std::int64_t jitter_q4_;  // J * 16, as the RFC's integer form keeps it
  bool have_last_ = false;
  std::int64_t last_transit_ = 0;
  std::int64_t current_min_;
  std::int64_t previous_min_;
  int in_current_ = 0;
};

}  // namespace kolokol::media
