#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/expected.h"
#include "media/audio/prompt_clip.h"

namespace kolokol::media {

enum class MohErrorKind : std::uint8_t {
  FolderMissing,     // the class's folder does not exist or is not a directory
  NoPlayableFiles,   // the folder holds no file that decodes to audio
  BadTrack,          // a track is missing, empty or at another sample rate
  BadFrameDuration,  // not a whole, positive number of samples, or over a second
};
std::string_view moh_error_kind_name(MohErrorKind kind);

struct MohError {
  MohErrorKind kind = MohErrorKind::NoPlayableFiles;
  std::string detail;
  std::string describe() const;
};

// One music-on-hold stream (a "class", as PBXs call it): its tracks play back to back and loop,
// and everyone on hold in the class hears the same point of the same stream, like a radio. The
// engine calls tick() on its 20 ms clock; listeners then copy current_frame(). There is one
// playback position per class, not per listener, so a thousand callers on hold cost one copy
// each per frame and no decoding at all (the tracks were decoded when the class was loaded).
//
// Owned by the one media worker whose clock ticks it; tick() and the listener reads happen on
// that thread, so there are no locks. An engine that spreads held calls over several workers
// either hands them this worker's frames or builds one class per worker over the same shared
// clips (the audio is shared, only the few words of position are duplicated).
class MusicOnHoldClass {
 public:
  static base::Expected<std::unique_ptr<MusicOnHoldClass>, MohError> create(
      std::string name, std::vector<PromptClipPtr> tracks, int sample_rate,
      base::Duration frame_duration = base::Duration(20));

  // Advances the stream by the frames due at `now`: none before the next frame is due, one per
  // elapsed frame interval otherwise. A worker that stalled for longer than kMaxCatchUpFrames
  // resynchronizes instead of racing through the backlog. The first tick starts the stream.
  void tick(base::TimePoint now);

  // The frame listeners hear now; silence before the first tick. Valid until the next tick.
  std::span<const std::int16_t> current_frame() const { return frame_; }
  // Counts frames since the stream started (0 before the first tick), so a listener can tell a
  // new frame from one it already sent.
  std::uint64_t frame_number() const { return frame_number_; }

  const std::string& name() const { return name_; }
  int sample_rate() const { return sample_rate_; }
  std::size_t frame_samples() const { return frame_.size(); }
  std::size_t track_count() const { return tracks_.size(); }
  std::size_t track_index() const { return track_index_; }
  std::size_t offset_in_track() const { return offset_in_track_; }

  static constexpr std::int64_t kMaxCatchUpFrames = 50;  // one second at 20 ms

 private:
  MusicOnHoldClass(std::string name, std::vector<PromptClipPtr> tracks, int sample_rate,
                   base::Duration frame_duration, std::size_t frame_samples);
  void skip(std::size_t samples);
  void render();

  std::string name_;
  std::vector<PromptClipPtr> tracks_;
  int sample_rate_;
  base::Duration frame_duration_;
  std::vector<std::int16_t> frame_;  // allocated once; rewritten in place by each tick
  std::uint64_t frame_number_ = 0;
  std::size_t track_index_ = 0;
  std::size_t offset_in_track_ = 0;
  bool started_ = false;
  base::TimePoint next_due_{};
};

}  // namespace kolokol::media
