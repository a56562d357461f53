#include "media/rtp/jitter_delay_estimator.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace kolokol::media {
namespace {

constexpr std::int64_t kNoTransit = std::numeric_limits<std::int64_t>::max();

}  // namespace

JitterDelayEstimator::JitterDelayEstimator(std::chrono::microseconds min_delay,
                                           std::chrono::microseconds max_delay,
                                           std::chrono::microseconds initial_delay)
    : min_delay_us_(min_delay.count()),
      max_delay_us_(max_delay.count()),
      jitter_q4_(initial_delay.count() * 16 / 4),
      current_min_(kNoTransit),
      previous_min_(kNoTransit) {}

void JitterDelayEstimator::restart() {
  have_last_ = false;
  current_min_ = kNoTransit;
  previous_min_ = kNoTransit;
  in_current_ = 0;
}

void JitterDelayEstimator::on_arrival(std::int64_t media_time_us, std::int64_t arrival_us) {
  const std::int64_t transit = arrival_us - media_time_us;
  if (have_last_) {
    // Capped so that one absurd arrival (a paused caller clock) cannot poison J for minutes.
    const std::int64_t difference =
        std::min<std::int64_t>(std::llabs(transit - last_transit_), 4 * max_delay_us_);
    jitter_q4_ += difference - ((jitter_q4_ + 8) >> 4);
  }
  have_last_ = true;
  last_transit_ = transit;

  current_min_ = std::min(current_min_, transit);
  if (++in_current_ == kWindowPackets) {
    previous_min_ = current_min_;
    current_min_ = kNoTransit;
    in_current_ = 0;
  }
}

std::chrono::microseconds JitterDelayEstimator::target() const {
  return std::chrono::microseconds(std::clamp((jitter_q4_ >> 4) * 4, min_delay_us_, max_delay_us_));
}

std::int64_t JitterDelayEstimator::floor_transit_us() const {
  const std::int64_t floor = std::min(current_min_, previous_min_);
  return floor == kNoTransit ? 0 : floor;
}

}  // namespace kolokol::media
