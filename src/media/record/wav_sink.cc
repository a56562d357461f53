#include "media/record/wav_sink.h"

#include <algorithm>
#include <array>

#include "media/record/wav_header.h"

namespace kolokol::media {

base::Expected<std::unique_ptr<WavSink>, RecordingFailure> WavSink::create(
    const std::string& path, const AudioFormat& format, const SinkOptions& options) {
  if (!valid_recording_format(format)) {
    return base::unexpected(RecordingFailure{RecordingError::BadFormat, 0, {}});
  }
  const std::uint64_t interval = std::max<std::uint64_t>(
      1, std::uint64_t{format.sample_rate} * options.flush_interval_ms / 1000);
  // The buffer holds one flush interval, so audio reaches the disk once per interval, together
  // with the header update that accounts for it.
  const std::size_t buffer_bytes = std::clamp<std::size_t>(
      static_cast<std::size_t>(interval * format.channels * 2), 4096, 4u << 20);
  auto file = OutputFile::create(path, buffer_bytes);
  if (!file) return base::unexpected(file.error());
  // A valid, empty WAV exists from the first moment.
  const auto header = wav_header(format, 0);
  auto written = (*file)->append(header);
  if (written) written = (*file)->flush();
  if (!written) {
    (*file)->discard();
    return base::unexpected(written.error());
  }
  return std::unique_ptr<WavSink>(new WavSink(std::move(*file), format, interval));
}

WavSink::WavSink(std::unique_ptr<OutputFile> file, const AudioFormat& format,
                 std::uint64_t interval)
    : file_(std::move(file)), format_(format), flush_interval_frames_(interval) {}

WavSink::~WavSink() {
  if (file_) (void)close();
}

base::Expected<std::uint64_t, RecordingFailure> WavSink::write(
    std::span<const std::int16_t> interleaved) {
  if (!file_) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  if (interleaved.size() % format_.channels != 0) {
    return base::unexpected(RecordingFailure{RecordingError::BadFormat, 0, "partial frame"});
  }
  const std::uint64_t frames = interleaved.size() / format_.channels;
  const std::uint64_t data_bytes = (frames_ + frames) * format_.channels * 2;
  if (data_bytes > kWavMaxDataBytes) {
    return base::unexpected(RecordingFailure{RecordingError::TooLarge, 0, {}});
  }
  // Little-endian on disk whatever the host; converted through a small stack buffer.
  std::array<std::uint8_t, 1024> bytes;
  while (!interleaved.empty()) {
    const std::size_t count = std::min(interleaved.size(), bytes.size() / 2);
    for (std::size_t i = 0; i < count; ++i) {
      const auto sample = static_cast<std::uint16_t>(interleaved[i]);
      bytes[2 * i] = static_cast<std::uint8_t>(sample);
      bytes[2 * i + 1] = static_cast<std::uint8_t>(sample >> 8);
    }
    if (auto appended = file_->append(std::span(bytes.data(), 2 * count)); !appended) {
      return base::unexpected(appended.error());
    }
    interleaved = interleaved.subspan(count);
  }
  frames_ += frames;
  frames_since_flush_ += frames;
  if (frames_since_flush_ >= flush_interval_frames_) {
    if (auto flushed = flush(); !flushed) return flushed;
  }
  return frames;
}

base::Expected<std::uint64_t, RecordingFailure> WavSink::flush() {
  if (!file_) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  if (auto flushed = file_->flush(); !flushed) return flushed;
  // Audio first, then the header that counts it: a kill in between loses nothing.
  const auto data_bytes = static_cast<std::uint32_t>(frames_ * format_.channels * 2);
  const auto header = wav_header(format_, data_bytes);
  if (auto written = file_->overwrite(0, header); !written) return written;
  frames_since_flush_ = 0;
  return frames_;
}

base::Expected<SinkSummary, RecordingFailure> WavSink::close() {
  if (!file_) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  auto flushed = flush();
  auto closed = file_->close();
  file_.reset();
  if (!flushed) return base::unexpected(flushed.error());
  if (!closed) return base::unexpected(closed.error());
  return SinkSummary{frames_, *closed};
}

void WavSink::abandon_for_test() {
  if (!file_) return;
  file_->abandon();
  file_.reset();
}

}  // namespace kolokol::media
