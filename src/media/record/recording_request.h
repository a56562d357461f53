#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "media/record/recording_error.h"
#include "media/record/recording_sink.h"
#include "media/record/recording_sink_factory.h"

namespace kolokol::media {

// How a recording ended, reported once per recording.
struct RecordingResult {
  std::string path;
  RecordingFileFormat file_format = RecordingFileFormat::Wav;
  std::uint64_t frames = 0;  // audio frames the file holds
  std::chrono::milliseconds duration{0};
  std::uint64_t bytes = 0;           // file size
  std::uint64_t dropped_blocks = 0;  // blocks refused because the queue was full
  std::optional<RecordingFailure> error;
};

// Runs on the writer thread: it must not block for long, and must not call back into the
// writer's stop() or destructor.
using RecordingCompletion = std::function<void(const RecordingResult&)>;

struct RecordingRequest {
  std::string path;
  RecordingFileFormat file_format = RecordingFileFormat::Wav;
  AudioFormat format;
  SinkOptions sink;
  // The queue between the media worker and the writer: 100 blocks of 20 ms is two seconds of
  // slack for a disk that stalls.
  std::size_t queue_blocks = 100;
  std::size_t max_block_frames = 960;
  RecordingCompletion on_complete;
};

}  // namespace kolokol::media
