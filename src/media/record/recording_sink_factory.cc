#include "media/record/recording_sink_factory.h"

#include "media/record/mp3_sink.h"
#include "media/record/ogg_opus_sink.h"
#include "media/record/wav_sink.h"

namespace kolokol::media {
namespace {

template <typename Sink>
base::Expected<std::unique_ptr<RecordingSink>, RecordingFailure> as_sink(
    base::Expected<std::unique_ptr<Sink>, RecordingFailure> created) {
  if (!created) return base::unexpected(created.error());
  return std::unique_ptr<RecordingSink>(std::move(*created));
}

}  // namespace

std::string_view recording_file_format_name(RecordingFileFormat format) {
  switch (format) {
    case RecordingFileFormat::Wav:
      return "wav";
    case RecordingFileFormat::OggOpus:
      return "ogg/opus";
    case RecordingFileFormat::Mp3:
      return "mp3";
  }
  return "unknown";
}

base::Expected<std::unique_ptr<RecordingSink>, RecordingFailure> open_recording_sink(
    RecordingFileFormat file_format, const std::string& path, const AudioFormat& format,
    const SinkOptions& options) {
  switch (file_format) {
    case RecordingFileFormat::Wav:
      return as_sink(WavSink::create(path, format, options));
    case RecordingFileFormat::OggOpus:
      return as_sink(OggOpusSink::create(path, format, options));
    case RecordingFileFormat::Mp3:
      return as_sink(Mp3Sink::create(path, format, options));
  }
  return base::unexpected(RecordingFailure{RecordingError::BadFormat, 0, "unknown file format"});
}

}  // namespace kolokol::media
