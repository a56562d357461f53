#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/expected.h"
#include "media/record/recording_error.h"

namespace kolokol::media {

// A recording file created with O_EXCL (an existing recording is never overwritten), written
// through a buffer sized at creation. Errors are sticky: once a write fails every later call
// returns the same failure, so the sinks need not re-check each step.
class OutputFile {
 public:
  static base::Expected<std::unique_ptr<OutputFile>, RecordingFailure> create(
      const std::string& path, std::size_t buffer_bytes);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  base::Expected<std::uint64_t, RecordingFailure> append(std::span<const std::uint8_t> bytes);
  // Writes the buffer out; returns the file size.
  base::Expected<std::uint64_t, RecordingFailure> flush();
  // Overwrites bytes already flushed (a header) without moving the append position.
  base::Expected<std::uint64_t, RecordingFailure> overwrite(std::uint64_t offset,
                                                            std::span<const std::uint8_t> bytes);
  // Closes the descriptor (buffer flushed first); returns the final size.
  base::Expected<std::uint64_t, RecordingFailure> close();
  // Drops the buffer and closes without flushing, as a killed process would leave the file.
  void abandon();
  // Abandons and removes the file: for a recording that failed before holding any audio.
  void discard();

  std::uint64_t size() const { return flushed_ + buffer_.size(); }
  const std::string& path() const { return path_; }

 private:
  OutputFile(int fd, std::string path, std::size_t buffer_bytes);
  base::Expected<std::uint64_t, RecordingFailure> fail(RecordingFailure failure);

  int fd_ = -1;
  std::string path_;
  std::vector<std::uint8_t> buffer_;
  std::size_t buffer_limit_ = 0;
  std::uint64_t flushed_ = 0;
  std::optional<RecordingFailure> failure_;
};

}  // namespace kolokol::media
