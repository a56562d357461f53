#pragma once

#include <cstdint>
#include <span>

#include "base/expected.h"
#include "media/record/recording_error.h"

namespace kolokol::media {

struct AudioFormat {
  std::uint32_t sample_rate = 8000;
  std::uint32_t channels = 2;  // 1 (mono mix) or 2 (caller left, callee right)
};

// Mono or stereo at a rate from 8 to 192 kHz: what the call recorder produces.
inline bool valid_recording_format(const AudioFormat& format) {
  return (format.channels == 1 || format.channels == 2) && format.sample_rate >= 8000 &&
         format.sample_rate <= 192000;
}

struct SinkOptions {
  // How much audio may sit in memory before it is pushed to the file (and, for WAV, accounted
  // for in the header): what a killed daemon can lose at most.
  std::uint32_t flush_interval_ms = 2000;
  std::uint32_t bitrate = 32000;  // bits per second, Opus and MP3 only
};

struct SinkSummary {
  std::uint64_t frames = 0;  // frames the file holds
  std::uint64_t bytes = 0;   // size of the file
};

// One recording file being written. Only the recording writer thread calls it: every call may
// block on disk I/O. After an error the sink is failed: further writes return the same error and
// close() still releases what it can.
class RecordingSink {
 public:
  virtual ~RecordingSink() = default;

  // Appends whole interleaved frames (format().channels samples each); a trailing partial frame
  // is refused with BadFormat. Returns the number of frames taken.
  virtual base::Expected<std::uint64_t, RecordingFailure> write(
      std::span<const std::int16_t> interleaved) = 0;
  // Pushes everything written so far into the file and makes it count (WAV header sizes).
  virtual base::Expected<std::uint64_t, RecordingFailure> flush() = 0;
  // Finishes the file (encoder drain, final header) and closes it. Returns what the file holds.
  virtual base::Expected<SinkSummary, RecordingFailure> close() = 0;

  virtual const AudioFormat& format() const = 0;
  virtual std::uint64_t frames_written() const = 0;
};

}  // namespace kolokol::media
