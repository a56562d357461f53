#include "media/record/recording_handle.h"

#include "media/record/recording_state.h"

namespace kolokol::media {

std::string_view append_result_name(AppendResult result) {
  switch (result) {
    case AppendResult::Queued:
      return "queued";
    case AppendResult::QueueFull:
      return "queue full";
    case AppendResult::TooLarge:
      return "too large";
    case AppendResult::Closed:
      return "closed";
  }
  return "unknown";
}

RecordingHandle::RecordingHandle(std::shared_ptr<RecordingState> state)
    : state_(std::move(state)) {}

RecordingHandle::~RecordingHandle() {
  close();
}

RecordingHandle& RecordingHandle::operator=(RecordingHandle&& other) noexcept {
  if (this != &other) {
    close();
    state_ = std::move(other.state_);
    closed_ = other.closed_;
  }
  return *this;
}

AppendResult RecordingHandle::append(std::span<const std::int16_t> interleaved) {
  if (!state_ || closed_ || state_->finished.load(std::memory_order_acquire)) {
    return AppendResult::Closed;
  }
  if (interleaved.size() % state_->channels != 0) return AppendResult::TooLarge;
  if (interleaved.empty()) return AppendResult::Queued;
  switch (state_->queue.try_push(interleaved)) {
    case BlockQueue::PushResult::Queued:
      state_->wake->notify();
      return AppendResult::Queued;
    case BlockQueue::PushResult::Full:
      state_->dropped_blocks.fetch_add(1, std::memory_order_relaxed);
      return AppendResult::QueueFull;
    case BlockQueue::PushResult::TooLarge:
      return AppendResult::TooLarge;
  }
  return AppendResult::Closed;
}

void RecordingHandle::close() {
  if (!state_ || closed_) return;
  closed_ = true;
  state_->close_requested.store(true, std::memory_order_release);
  state_->wake->notify();
}

std::uint64_t RecordingHandle::dropped_blocks() const {
  return state_ ? state_->dropped_blocks.load(std::memory_order_relaxed) : 0;
}

}  // namespace kolokol::media
