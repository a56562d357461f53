#pragma once

#include <memory>
#include <string>
#include <vector>

#include "media/record/output_file.h"
#include "media/record/recording_sink.h"

struct lame_global_struct;

namespace kolokol::media {

// Constant-bitrate MP3 through LAME, mono or true stereo (not joint stereo: the two channels
// are different people and must not leak into each other). No Xing/Info tag and no ID3 tag, so
// the file is plain MPEG frames from the first byte and a file cut short by a kill plays up to
// its last whole frame. The rates MP3 cannot carry (anything but 8-48 kHz MPEG rates) are
// refused with BadFormat.
class Mp3Sink final : public RecordingSink {
 public:
  static base::Expected<std::unique_ptr<Mp3Sink>, RecordingFailure> create(
      const std::string& path, const AudioFormat& format, const SinkOptions& options = {});
  ~Mp3Sink() override;

  base::Expected<std::uint64_t, RecordingFailure> write(
      std::span<const std::int16_t> interleaved) override;
  base::Expected<std::uint64_t, RecordingFailure> flush() override;
  base::Expected<SinkSummary, RecordingFailure> close() override;
  const AudioFormat& format() const override { return format_; }
  std::uint64_t frames_written() const override { return frames_; }

 private:
  struct LameDeleter {
    void operator()(lame_global_struct* lame) const;
  };
  static constexpr std::size_t kChunkFrames = 1152 * 4;

  Mp3Sink(std::unique_ptr<OutputFile> file, const AudioFormat& format, std::uint64_t interval);
  base::Expected<std::uint64_t, RecordingFailure> emit(int encoded);

  std::unique_ptr<OutputFile> file_;
  std::unique_ptr<lame_global_struct, LameDeleter> lame_;
  AudioFormat format_;
  std::uint64_t flush_interval_frames_;
  std::uint64_t frames_ = 0;
  std::uint64_t frames_since_flush_ = 0;
  // LAME takes planar input; the buffers are sized once for kChunkFrames.
  std::vector<std::int16_t> left_;
  std::vector<std::int16_t> right_;
  std::vector<unsigned char> encoded_;
};

}  // namespace kolokol::media
