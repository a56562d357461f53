#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "media/record/recording_sink.h"

namespace kolokol::media {

enum class RecordingFileFormat : std::uint8_t { Wav, OggOpus, Mp3 };
std::string_view recording_file_format_name(RecordingFileFormat format);

// Creates the sink for `file_format` at `path` (never overwriting an existing file).
base::Expected<std::unique_ptr<RecordingSink>, RecordingFailure> open_recording_sink(
    RecordingFileFormat file_format, const std::string& path, const AudioFormat& format,
    const SinkOptions& options);

}  // namespace kolokol::media
