#include "media/mix/talker_detector.h"

#include <cmath>
#include <limits>

namespace kolokol::media {
namespace {

constexpr double kFullScalePower = 32768.0 * 32768.0;

}  // namespace

TalkerDetector::TalkerDetector(const Config& config)
    : threshold_power_(kFullScalePower * std::pow(10.0, config.threshold_dbfs / 10.0)),
      attack_frames_(config.attack_frames < 1 ? 1 : config.attack_frames),
      hangover_frames_(config.hangover_frames < 1 ? 1 : config.hangover_frames) {}

void TalkerDetector::update(std::span<const std::int16_t> frame) {
  double sum = 0;
  for (const std::int16_t sample : frame) sum += static_cast<double>(sample) * sample;
  last_power_ = frame.empty() ? 0.0 : sum / static_cast<double>(frame.size());

  if (last_power_ >= threshold_power_) {
    quiet_run_ = 0;
    if (++loud_run_ >= attack_frames_) talking_ = true;
  } else {
    loud_run_ = 0;
    if (++quiet_run_ >= hangover_frames_) talking_ = false;
  }
}

double TalkerDetector::level_dbfs() const {
  if (last_power_ <= 0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(last_power_ / kFullScalePower);
}

}  // namespace kolokol::media
