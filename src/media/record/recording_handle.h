#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace kolokol::media {

struct RecordingState;

enum class AppendResult : std::uint8_t {
  Queued,
  QueueFull,  // the writer is behind: the block is dropped and counted
  TooLarge,   // more samples than the request's max_block_frames, or not whole frames
  Closed,     // close() was called, or the recording already ended (error or writer stop)
};
std::string_view append_result_name(AppendResult result);

// The media worker's end of one recording. append() copies the block into the recording's
// preallocated queue and returns at once: it never blocks, locks or allocates. One thread
// appends to a given handle (the worker that owns the call). Destroying the handle closes the
// recording.
class RecordingHandle {
 public:
  RecordingHandle() = default;
  explicit RecordingHandle(std::shared_ptr<RecordingState> state);
  ~RecordingHandle();
  RecordingHandle(RecordingHandle&&) noexcept = default;
  RecordingHandle& operator=(RecordingHandle&& other) noexcept;
  RecordingHandle(const RecordingHandle&) = delete;
  RecordingHandle& operator=(const RecordingHandle&) = delete;

  AppendResult append(std::span<const std::int16_t> interleaved);
  // Asks the writer to write what is queued, finish the file and report. Idempotent.
  void close();

  bool valid() const { return state_ != nullptr; }
  std::uint64_t dropped_blocks() const;

 private:
  std::shared_ptr<RecordingState> state_;
  bool closed_ = false;
};

}  // namespace kolokol::media
