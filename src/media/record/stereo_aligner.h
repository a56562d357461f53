#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace kolokol::media {

// Turns the two directions of a call into one time-aligned recording: the caller on the left
// channel, the callee on the right (or both summed into mono). Frames are placed by the time the
// caller gives them on a common recording clock (samples since the recording started, at the
// recording rate), so the output never drifts: it holds exactly one output frame per clock tick,
// with silence wherever a side sent nothing.
//
// Release policy: output is released in whole blocks once both sides have contiguous audio for
// it. A side that runs more than `max_lead` ahead of the released point forces release, the
// other side counted as silent for what it has not delivered; tick() does the same from the
// media clock when both sides are quiet. Frames for time already released are dropped and
// counted, never reordered into the past. Samples already present are kept (duplicates and
// overlaps do not overwrite).
//
// Runs on a media worker: every buffer is allocated by the constructor; push()/tick() never
// allocate, lock or do I/O. Not thread-safe: one owner.
enum class RecordingSide : std::uint8_t { Left, Right };
enum class RecordingLayout : std::uint8_t { Stereo, MonoMix };

struct StereoAlignerConfig {
  std::uint32_t sample_rate = 8000;
  RecordingLayout layout = RecordingLayout::Stereo;
  std::uint32_t block_frames = 160;      // output block length (20 ms at 8 kHz)
  std::uint32_t max_lead_frames = 4000;  // 500 ms at 8 kHz: how far one side may run ahead
  std::uint32_t max_frame_frames = 960;  // longest frame push() accepts (must be <= max_lead)
  // A frame starting further than this beyond the released point is refused instead of filling
  // the gap with silence: a clock jump of hours must not write hours of silence in one call.
  std::uint64_t max_gap_frames = 8000ull * 60;
};

// What push() did with a frame.
enum class AlignerPushOutcome : std::uint8_t {
  Accepted,    // every sample stored
  PartlyLate,  // the front was for released time and dropped, the rest stored
  Late,        // entirely for released time: dropped
  Duplicate,   // every sample was already present: nothing stored
  TooLarge,    // longer than max_frame_frames: refused
  TooFar,      // starts more than max_gap_frames ahead: refused
  Finished,    // finish() was called: refused
};
std::string_view aligner_push_outcome_name(AlignerPushOutcome outcome);

struct AlignerStats {
  std::uint64_t released_frames = 0;     // output frames handed out (== elapsed recording time)
  std::uint64_t late_frames = 0;         // frames dropped whole or in part for released time
  std::uint64_t late_samples = 0;        // samples (per side) those dropped
  std::uint64_t duplicate_samples = 0;   // samples ignored because already present
  std::uint64_t refused_frames = 0;      // TooLarge, TooFar or Finished
  std::uint64_t forced_releases = 0;     // releases forced by the lead bound or tick()
  std::uint64_t left_silent_frames = 0;  // output frames the left side had no audio for
  std::uint64_t right_silent_frames = 0;
};

// One released block: `samples` holds `frames` frames of `channels` interleaved samples, valid
// only during the callback. `start` is its position on the recording clock.
struct AlignedBlock {
  std::uint64_t start = 0;
  std::uint32_t frames = 0;
  std::uint32_t channels = 2;
  std::span<const std::int16_t> samples;
};

class StereoAligner {
 public:
  using BlockHandler = std::function<void(const AlignedBlock&)>;

  // Invalid settings (zero rate or block, max_frame_frames > max_lead_frames) are clamped to
  // the nearest valid ones; config() returns what is in force.
  StereoAligner(const StereoAlignerConfig& config, BlockHandler on_block);

  // A decoded frame for `side` whose first sample belongs at `time` on the recording clock.
  AlignerPushOutcome push(RecordingSide side, std::uint64_t time,
                          std::span<const std::int16_t> pcm);
  // The media clock reached `now`: release what is older than now - max_lead, missing audio as
  // silence, so a recording keeps advancing while both sides are quiet.
  void tick(std::uint64_t now);
  // Releases everything up to `end` (the final block may be short) and refuses pushes from
  // then on. The output then holds exactly `end` frames.
  void finish(std::uint64_t end);

  std::uint64_t released_until() const { return released_; }
  std::uint32_t channels() const { return config_.layout == RecordingLayout::Stereo ? 2 : 1; }
  const StereoAlignerConfig& config() const { return config_; }
  const AlignerStats& stats() const { return stats_; }

 private:
  struct SideBuffer {
    std::vector<std::int16_t> samples;  // ring indexed by time % capacity
    std::vector<std::uint8_t> present;  // 1 where a sample arrived
    std::uint64_t contiguous = 0;       // first absent time at or after released_
    std::uint64_t high = 0;             // end of the latest sample stored
  };

  SideBuffer& buffer(RecordingSide side) { return side == RecordingSide::Left ? left_ : right_; }
  std::size_t slot(std::uint64_t time) const { return static_cast<std::size_t>(time % capacity_); }
  void advance_contiguous(SideBuffer& side);
  // Releases whole blocks while they end at or before `limit`; `allow_partial` also releases
  // the short remainder (finish only).
  void release_until(std::uint64_t limit, bool allow_partial);
  void release_block(std::uint32_t frames);
  void release_ready();

  StereoAlignerConfig config_;
  BlockHandler on_block_;
  std::size_t capacity_ = 0;
  SideBuffer left_;
  SideBuffer right_;
  std::vector<std::int16_t> out_;
  std::uint64_t released_ = 0;
  bool finished_ = false;
  AlignerStats stats_;
};

}  // namespace kolokol::media
