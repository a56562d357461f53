#include "media/audio/prompt_player.h"

#include <algorithm>
#include <utility>

namespace kolokol::media {

std::string_view player_error_name(PlayerError error) {
  switch (error) {
    case PlayerError::NullClip:
      return "missing clip";
    case PlayerError::SampleRateMismatch:
      return "clip sample rate differs from the player's";
  }
  return "unknown";
}

base::Expected<PromptPlayer, PlayerError> PromptPlayer::create(std::vector<PromptClipPtr> clips,
                                                               int sample_rate) {
  for (const PromptClipPtr& clip : clips) {
    if (!clip) return base::unexpected(PlayerError::NullClip);
    if (clip->sample_rate() != sample_rate) {
      return base::unexpected(PlayerError::SampleRateMismatch);
    }
  }
  return PromptPlayer(std::move(clips), sample_rate);
}

PromptPlayer::PromptPlayer(std::vector<PromptClipPtr> clips, int sample_rate)
    : clips_(std::move(clips)), sample_rate_(sample_rate) {
  for (const PromptClipPtr& clip : clips_) total_samples_ += clip->samples().size();
  skip_finished_clips();
}

void PromptPlayer::skip_finished_clips() {
  while (position_.clip_index < clips_.size() &&
         position_.offset_in_clip >= clips_[position_.clip_index]->samples().size()) {
    ++position_.clip_index;
    position_.offset_in_clip = 0;
  }
}

PlayedFrame PromptPlayer::next_frame(std::span<std::int16_t> out) {
  PlayedFrame frame;
  if (!paused_ && !stopped_) {
    while (frame.audio_samples < out.size() && position_.clip_index < clips_.size()) {
      const auto samples = clips_[position_.clip_index]->samples();
      const std::size_t count =
          std::min(out.size() - frame.audio_samples, samples.size() - position_.offset_in_clip);
      std::copy_n(samples.begin() + static_cast<std::ptrdiff_t>(position_.offset_in_clip), count,
                  out.begin() + static_cast<std::ptrdiff_t>(frame.audio_samples));
      frame.audio_samples += count;
      position_.offset_in_clip += count;
      position_.samples_played += count;
      skip_finished_clips();
    }
  }
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(frame.audio_samples), out.end(),
            std::int16_t{0});
  frame.finished = finished();
  return frame;
}

}  // namespace kolokol::media
