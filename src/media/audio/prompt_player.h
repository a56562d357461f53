#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "media/audio/prompt_clip.h"

namespace kolokol::media {

struct PlayedFrame {
  std::size_t audio_samples = 0;  // prompt samples at the start of the frame; the rest is zeros
  bool finished = false;          // nothing is left to play after this frame
};

struct PlayerPosition {
  std::size_t clip_index = 0;      // == clip count once everything has played
  std::size_t offset_in_clip = 0;  // samples
  std::size_t samples_played = 0;  // over the whole sequence
};

enum class PlayerError : std::uint8_t {
  NullClip,            // a clip in the sequence is missing
  SampleRateMismatch,  // a clip is not at the player's rate
};
std::string_view player_error_name(PlayerError error);

// Plays a sequence of prompts ("you are caller", "three", "in the queue") back to back, one
// frame per call of the media clock. Belongs to one call on one media thread: no locks, and
// next_frame() only copies from the shared clips into the caller's buffer.
class PromptPlayer {
 public:
  static base::Expected<PromptPlayer, PlayerError> create(std::vector<PromptClipPtr> clips,
                                                          int sample_rate);

  // Fills all of `out` (typically 20 ms): prompt audio continuing across clip boundaries, then
  // zeros once the sequence ends. A paused or stopped player writes silence.
  PlayedFrame next_frame(std::span<std::int16_t> out);

  void pause() { paused_ = true; }
  void resume() { paused_ = false; }
  bool paused() const { return paused_; }
  // Ends playback for good; later frames are silent and report finished.
  void stop() { stopped_ = true; }
  bool finished() const { return stopped_ || position_.clip_index >= clips_.size(); }

  PlayerPosition position() const { return position_; }
  std::size_t total_samples() const { return total_samples_; }
  int sample_rate() const { return sample_rate_; }

 private:
  PromptPlayer(std::vector<PromptClipPtr> clips, int sample_rate);
  void skip_finished_clips();

  std::vector<PromptClipPtr> clips_;
  int sample_rate_;
  std::size_t total_samples_ = 0;
  PlayerPosition position_;
  bool paused_ = false;
  bool stopped_ = false;
};

}  // namespace kolokol::media
