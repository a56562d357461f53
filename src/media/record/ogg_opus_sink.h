#pragma once

#include <memory>
#include <optional>
#include <string>

#include "media/record/output_file.h"
#include "media/record/recording_sink.h"

struct OggOpusEnc;

namespace kolokol::media {

// Opus in Ogg through libopusenc, which resamples any input rate to Opus's 48 kHz. The encoder
// writes through callbacks into an O_EXCL file rather than ope_encoder_create_file(), which
// would overwrite an existing recording. Ogg pages are self-delimiting, so a daemon killed
// mid-call leaves a file that plays up to its last complete page: no recovery step is needed,
// and pages are released at least every flush interval (the muxing delay) to bound the loss.
class OggOpusSink final : public RecordingSink {
 public:
  static base::Expected<std::unique_ptr<OggOpusSink>, RecordingFailure> create(
      const std::string& path, const AudioFormat& format, const SinkOptions& options = {});
  ~OggOpusSink() override;

  base::Expected<std::uint64_t, RecordingFailure> write(
      std::span<const std::int16_t> interleaved) override;
  base::Expected<std::uint64_t, RecordingFailure> flush() override;
  base::Expected<SinkSummary, RecordingFailure> close() override;
  const AudioFormat& format() const override { return format_; }
  std::uint64_t frames_written() const override { return frames_; }

 private:
  struct EncoderDeleter {
    void operator()(OggOpusEnc* encoder) const;
  };
  OggOpusSink(std::unique_ptr<OutputFile> file, const AudioFormat& format, std::uint64_t interval);
  static int on_write(void* self, const unsigned char* data, int length);
  base::Expected<std::uint64_t, RecordingFailure> encoder_failure(int code);

  std::unique_ptr<OutputFile> file_;
  std::unique_ptr<OggOpusEnc, EncoderDeleter> encoder_;
  AudioFormat format_;
  std::uint64_t flush_interval_frames_;
  std::uint64_t frames_ = 0;
  std::uint64_t frames_since_flush_ = 0;
  std::optional<RecordingFailure> write_failure_;  // from the write callback
};

}  // namespace kolokol::media
