#pragma once

#include <memory>
#include <string>

#include "media/record/output_file.h"
#include "media/record/recording_sink.h"

namespace kolokol::media {

// 16-bit PCM WAV, mono or stereo. The header is on disk from the first moment with the sizes of
// what is accounted for so far, and is patched every flush interval, so a daemon killed
// mid-call leaves a file that plays up to the last flush; recover_wav() reclaims the rest.
class WavSink final : public RecordingSink {
 public:
  static base::Expected<std::unique_ptr<WavSink>, RecordingFailure> create(
      const std::string& path, const AudioFormat& format, const SinkOptions& options = {});
  ~WavSink() override;

  base::Expected<std::uint64_t, RecordingFailure> write(
      std::span<const std::int16_t> interleaved) override;
  base::Expected<std::uint64_t, RecordingFailure> flush() override;
  base::Expected<SinkSummary, RecordingFailure> close() override;
  const AudioFormat& format() const override { return format_; }
  std::uint64_t frames_written() const override { return frames_; }

  // Leaves the file as a killed process would: unflushed audio lost, header not updated.
  void abandon_for_test();

 private:
  WavSink(std::unique_ptr<OutputFile> file, const AudioFormat& format, std::uint64_t interval);

  std::unique_ptr<OutputFile> file_;
  AudioFormat format_;
  std::uint64_t flush_interval_frames_;
  std::uint64_t frames_ = 0;
  std::uint64_t frames_since_flush_ = 0;
};

}  // namespace kolokol::media
