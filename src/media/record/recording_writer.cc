#include "media/record/recording_writer.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "media/record/recording_state.h"

namespace kolokol::media {
namespace {

// Blocks written for one recording before moving to the next, so one busy recording cannot
// starve the others.
constexpr int kBlocksPerTurn = 64;

}  // namespace

RecordingWriter::RecordingWriter() : wake_(std::make_shared<WakeSignal>()) {}

RecordingWriter::~RecordingWriter() {
  stop();
}

void RecordingWriter::start() {
  if (thread_.joinable()) return;
  stopping_.store(false, std::memory_order_release);
  thread_ = std::thread([this] { run(); });
}

void RecordingWriter::stop() {
  if (!thread_.joinable()) return;
  stopping_.store(true, std::memory_order_release);
  wake_->notify();
  thread_.join();
}

RecordingHandle RecordingWriter::open(RecordingRequest request) {
  auto state = std::make_shared<RecordingState>(std::move(request), wake_);
  {
    std::lock_guard lock(mutex_);
    incoming_.push_back(state);
  }
  has_incoming_.store(true, std::memory_order_release);
  wake_->notify();
  return RecordingHandle(std::move(state));
}

void RecordingWriter::run() {
  for (;;) {
    const std::uint32_t seen = wake_->epoch();
    const bool stopping = stopping_.load(std::memory_order_acquire);
    adopt_new_recordings();
    bool worked = false;
    for (std::size_t i = 0; i < active_.size();) {
      bool done = false;
      worked |= service(*active_[i], stopping, done);
      if (done) {
        active_[i] = std::move(active_.back());
        active_.pop_back();
      } else {
        ++i;
      }
    }
    if (stopping && active_.empty()) return;
    if (!worked) wake_->sleep(seen, [this] { return has_work(); });
  }
}

void RecordingWriter::adopt_new_recordings() {
  if (!has_incoming_.load(std::memory_order_acquire)) return;
  std::vector<std::shared_ptr<RecordingState>> incoming;
  {
    std::lock_guard lock(mutex_);
    incoming.swap(incoming_);
    has_incoming_.store(false, std::memory_order_relaxed);
  }
  for (auto& recording : incoming) {
    const RecordingRequest& request = recording->request;
    auto sink =
        open_recording_sink(request.file_format, request.path, request.format, request.sink);
    if (!sink) {
      finish(*recording, sink.error());
      continue;
    }
    recording->sink = std::move(*sink);
    active_.push_back(std::move(recording));
  }
}

bool RecordingWriter::service(RecordingState& recording, bool stopping, bool& done) {
  // On stop, refuse new blocks first so the drain below has an end.
  if (stopping) recording.finished.store(true, std::memory_order_release);
  const bool closing = stopping || recording.close_requested.load(std::memory_order_acquire);
  bool worked = false;
  for (int turn = 0; turn < kBlocksPerTurn; ++turn) {
    const auto block = recording.queue.front();
    if (block.empty()) break;
    auto written = recording.sink->write(block);
    recording.queue.pop();
    worked = true;
    if (!written) {
      finish(recording, written.error());
      done = true;
      return true;
    }
  }
  if (closing && recording.queue.empty()) {
    finish(recording, std::nullopt);
    done = true;
    return true;
  }
  return worked;
}

void RecordingWriter::finish(RecordingState& recording, std::optional<RecordingFailure> error) {
  recording.finished.store(true, std::memory_order_release);
  const RecordingRequest& request = recording.request;
  RecordingResult result;
  result.path = request.path;
  result.file_format = request.file_format;
  if (recording.sink) {
    result.frames = recording.sink->frames_written();
    auto summary = recording.sink->close();
    if (summary) {
      result.frames = summary->frames;
      result.bytes = summary->bytes;
    } else {
      if (!error) error = summary.error();
      std::error_code ignored;
      const auto size = std::filesystem::file_size(request.path, ignored);
      if (!ignored) result.bytes = size;
    }
    recording.sink.reset();
  }
  if (request.format.sample_rate > 0) {
    result.duration = std::chrono::milliseconds(result.frames * 1000 / request.format.sample_rate);
  }
  result.dropped_blocks = recording.dropped_blocks.load(std::memory_order_relaxed);
  result.error = std::move(error);
  if (request.on_complete) request.on_complete(result);
}

bool RecordingWriter::has_work() {
  if (stopping_.load(std::memory_order_acquire) || has_incoming_.load(std::memory_order_acquire)) {
    return true;
  }
  for (const auto& recording : active_) {
    if (!recording->queue.empty() || recording->close_requested.load(std::memory_order_acquire)) {
      return true;
    }
  }
  return false;
}

}  // namespace kolokol::media
