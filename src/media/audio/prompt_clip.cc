#include "media/audio/prompt_clip.h"

#include <utility>

namespace kolokol::media {

PromptClip::PromptClip(std::vector<std::int16_t> samples, int sample_rate, std::string source)
    : samples_(std::move(samples)), sample_rate_(sample_rate), source_(std::move(source)) {}

std::chrono::microseconds PromptClip::duration() const {
  if (sample_rate_ <= 0) return {};
  return std::chrono::microseconds(static_cast<std::int64_t>(samples_.size()) * 1'000'000 /
                                   sample_rate_);
}

}  // namespace kolokol::media
