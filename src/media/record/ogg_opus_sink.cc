#include "media/record/ogg_opus_sink.h"

#include <opus/opusenc.h>

#include <algorithm>

namespace kolokol::media {
namespace {

struct CommentsDeleter {
  void operator()(OggOpusComments* comments) const { ope_comments_destroy(comments); }
};

RecordingFailure encoder_error(int code) {
  return {RecordingError::EncoderFailed, 0, ope_strerror(code)};
}

}  // namespace

void OggOpusSink::EncoderDeleter::operator()(OggOpusEnc* encoder) const {
  ope_encoder_destroy(encoder);
}

base::Expected<std::unique_ptr<OggOpusSink>, RecordingFailure> OggOpusSink::create(
    const std::string& path, const AudioFormat& format, const SinkOptions& options) {
  if (!valid_recording_format(format) || options.bitrate < 6000 || options.bitrate > 510000) {
    return base::unexpected(RecordingFailure{RecordingError::BadFormat, 0, {}});
  }
  std::unique_ptr<OggOpusComments, CommentsDeleter> comments(ope_comments_create());
  if (!comments) return base::unexpected(encoder_error(OPE_ALLOC_FAIL));
  ope_comments_add(comments.get(), "ENCODER", "kolokol");

  auto file = OutputFile::create(path, 16 * 1024);
  if (!file) return base::unexpected(file.error());
  const std::uint64_t interval = std::max<std::uint64_t>(
      1, std::uint64_t{format.sample_rate} * options.flush_interval_ms / 1000);
  std::unique_ptr<OggOpusSink> sink(new OggOpusSink(std::move(*file), format, interval));

  auto failed = [&sink](RecordingFailure failure) {
    sink->encoder_.reset();
    sink->file_->discard();
    sink->file_.reset();
    return base::unexpected(std::move(failure));
  };
  OpusEncCallbacks callbacks{&OggOpusSink::on_write, [](void*) { return 0; }};
  int error = OPE_OK;
  sink->encoder_.reset(ope_encoder_create_callbacks(&callbacks, sink.get(), comments.get(),
                                                    static_cast<opus_int32>(format.sample_rate),
                                                    static_cast<int>(format.channels), 0, &error));
  if (!sink->encoder_) return failed(encoder_error(error));
  // The muxing delay (in 48 kHz samples) bounds how long a page waits: no more than the flush
  // interval, and no more than libopusenc's own one-second default.
  const int muxing = static_cast<int>(
      std::clamp<std::uint64_t>(std::uint64_t{options.flush_interval_ms} * 48, 960, 48000));
  if ((error = ope_encoder_ctl(sink->encoder_.get(), OPE_SET_MUXING_DELAY(muxing))) != OPE_OK ||
      (error = ope_encoder_ctl(sink->encoder_.get(), OPUS_SET_BITRATE(static_cast<opus_int32>(
                                                         options.bitrate)))) != OPE_OK) {
    return failed(encoder_error(error));
  }
  error = ope_encoder_flush_header(sink->encoder_.get());
  if (sink->write_failure_) return failed(*sink->write_failure_);
  if (error != OPE_OK) return failed(encoder_error(error));
  if (auto flushed = sink->file_->flush(); !flushed) return failed(flushed.error());
  return sink;
}

OggOpusSink::OggOpusSink(std::unique_ptr<OutputFile> file, const AudioFormat& format,
                         std::uint64_t interval)
    : file_(std::move(file)), format_(format), flush_interval_frames_(interval) {}

OggOpusSink::~OggOpusSink() {
  if (file_) (void)close();
}

int OggOpusSink::on_write(void* self, const unsigned char* data, int length) {
  auto* sink = static_cast<OggOpusSink*>(self);
  if (sink->write_failure_ || !sink->file_) return 1;
  auto appended = sink->file_->append(std::span(data, static_cast<std::size_t>(length)));
  if (!appended) {
    sink->write_failure_ = appended.error();
    return 1;
  }
  return 0;
}

base::Expected<std::uint64_t, RecordingFailure> OggOpusSink::encoder_failure(int code) {
  if (write_failure_) return base::unexpected(*write_failure_);
  return base::unexpected(encoder_error(code));
}

base::Expected<std::uint64_t, RecordingFailure> OggOpusSink::write(
    std::span<const std::int16_t> interleaved) {
  if (!file_) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  if (write_failure_) return base::unexpected(*write_failure_);
  if (interleaved.size() % format_.channels != 0) {
    return base::unexpected(RecordingFailure{RecordingError::BadFormat, 0, "partial frame"});
  }
  const std::uint64_t frames = interleaved.size() / format_.channels;
  if (frames == 0) return frames;
  const int code = ope_encoder_write(encoder_.get(), interleaved.data(), static_cast<int>(frames));
  if (code != OPE_OK || write_failure_) return encoder_failure(code);
  frames_ += frames;
  frames_since_flush_ += frames;
  if (frames_since_flush_ >= flush_interval_frames_) {
    if (auto flushed = flush(); !flushed) return flushed;
  }
  return frames;
}

base::Expected<std::uint64_t, RecordingFailure> OggOpusSink::flush() {
  if (!file_) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  if (write_failure_) return base::unexpected(*write_failure_);
  if (auto flushed = file_->flush(); !flushed) return flushed;
  frames_since_flush_ = 0;
  return frames_;
}

base::Expected<SinkSummary, RecordingFailure> OggOpusSink::close() {
  if (!file_) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  const int drained = encoder_ ? ope_encoder_drain(encoder_.get()) : OPE_OK;
  encoder_.reset();
  auto closed = file_->close();
  file_.reset();
  if (write_failure_) return base::unexpected(*write_failure_);
  if (drained != OPE_OK) return base::unexpected(encoder_error(drained));
  if (!closed) return base::unexpected(closed.error());
  return SinkSummary{frames_, *closed};
}

}  // namespace kolokol::media
