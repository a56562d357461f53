#include "media/record/mp3_sink.h"

#include <lame/lame.h>

#include <algorithm>
#include <array>

namespace kolokol::media {
namespace {

bool mp3_rate(std::uint32_t rate) {
  constexpr std::array<std::uint32_t, 9> kRates = {8000,  11025, 12000, 16000, 22050,
                                                   24000, 32000, 44100, 48000};
  return std::find(kRates.begin(), kRates.end(), rate) != kRates.end();
}

RecordingFailure lame_error(int code) {
  return {RecordingError::EncoderFailed, 0, "lame error " + std::to_string(code)};
}

}  // namespace

void Mp3Sink::LameDeleter::operator()(lame_global_struct* lame) const {
  lame_close(lame);
}

base::Expected<std::unique_ptr<Mp3Sink>, RecordingFailure> Mp3Sink::create(
    const std::string& path, const AudioFormat& format, const SinkOptions& options) {
  if (!valid_recording_format(format) || !mp3_rate(format.sample_rate) || options.bitrate < 8000 ||
      options.bitrate > 320000) {
    return base::unexpected(RecordingFailure{RecordingError::BadFormat, 0, {}});
  }
  std::unique_ptr<lame_global_struct, LameDeleter> lame(lame_init());
  if (!lame) return base::unexpected(lame_error(-1));
  lame_set_in_samplerate(lame.get(), static_cast<int>(format.sample_rate));
  lame_set_num_channels(lame.get(), static_cast<int>(format.channels));
  lame_set_mode(lame.get(), format.channels == 2 ? STEREO : MONO);
  lame_set_VBR(lame.get(), vbr_off);
  lame_set_brate(lame.get(), static_cast<int>(options.bitrate / 1000));
  lame_set_quality(lame.get(), 5);
  lame_set_bWriteVbrTag(lame.get(), 0);
  lame_set_write_id3tag_automatic(lame.get(), 0);
  if (const int code = lame_init_params(lame.get()); code < 0) {
    return base::unexpected(RecordingFailure{RecordingError::BadFormat, 0,
                                             "lame refused the settings " + std::to_string(code)});
  }

  auto file = OutputFile::create(path, 16 * 1024);
  if (!file) return base::unexpected(file.error());
  const std::uint64_t interval = std::max<std::uint64_t>(
      1, std::uint64_t{format.sample_rate} * options.flush_interval_ms / 1000);
  std::unique_ptr<Mp3Sink> sink(new Mp3Sink(std::move(*file), format, interval));
  sink->lame_ = std::move(lame);
  return sink;
}

Mp3Sink::Mp3Sink(std::unique_ptr<OutputFile> file, const AudioFormat& format,
                 std::uint64_t interval)
    : file_(std::move(file)),
      format_(format),
      flush_interval_frames_(interval),
      left_(kChunkFrames),
      right_(kChunkFrames),
      // LAME's documented worst case: 1.25 * samples + 7200 bytes.
      encoded_(kChunkFrames * 5 / 4 + 7200) {}

Mp3Sink::~Mp3Sink() {
  if (file_) (void)close();
}

base::Expected<std::uint64_t, RecordingFailure> Mp3Sink::emit(int encoded) {
  if (encoded < 0) return base::unexpected(lame_error(encoded));
  return file_->append(std::span(encoded_.data(), static_cast<std::size_t>(encoded)));
}

base::Expected<std::uint64_t, RecordingFailure> Mp3Sink::write(
    std::span<const std::int16_t> interleaved) {
  if (!file_) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  const std::size_t channels = format_.channels;
  if (interleaved.size() % channels != 0) {
    return base::unexpected(RecordingFailure{RecordingError::BadFormat, 0, "partial frame"});
  }
  const std::uint64_t frames = interleaved.size() / channels;
  while (!interleaved.empty()) {
    const std::size_t count = std::min(interleaved.size() / channels, kChunkFrames);
    for (std::size_t i = 0; i < count; ++i) {
      left_[i] = interleaved[i * channels];
      right_[i] = interleaved[i * channels + channels - 1];
    }
    const int encoded =
        lame_encode_buffer(lame_.get(), left_.data(), right_.data(), static_cast<int>(count),
                           encoded_.data(), static_cast<int>(encoded_.size()));
    if (auto emitted = emit(encoded); !emitted) return emitted;
    interleaved = interleaved.subspan(count * channels);
  }
  frames_ += frames;
  frames_since_flush_ += frames;
  if (frames_since_flush_ >= flush_interval_frames_) {
    if (auto flushed = flush(); !flushed) return flushed;
  }
  return frames;
}

base::Expected<std::uint64_t, RecordingFailure> Mp3Sink::flush() {
  if (!file_) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  if (auto flushed = file_->flush(); !flushed) return flushed;
  frames_since_flush_ = 0;
  return frames_;
}

base::Expected<SinkSummary, RecordingFailure> Mp3Sink::close() {
  if (!file_) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  auto tail =
      emit(lame_encode_flush(lame_.get(), encoded_.data(), static_cast<int>(encoded_.size())));
  lame_.reset();
  auto closed = file_->close();
  file_.reset();
  if (!tail) return base::unexpected(tail.error());
  if (!closed) return base::unexpected(closed.error());
  return SinkSummary{frames_, *closed};
}

}  // namespace kolokol::media
