#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>

#include "media/record/block_queue.h"
#include "media/record/recording_request.h"
#include "media/record/recording_sink.h"
#include "media/record/wake_signal.h"

namespace kolokol::media {

// What a recording's handle (media worker) and the writer thread share. The handle only
// touches the queue and the atomics; `sink` and `request` belong to the writer thread.
struct RecordingState {
  RecordingState(RecordingRequest request_in, std::shared_ptr<WakeSignal> wake_in)
      : request(std::move(request_in)),
        channels(std::max<std::uint32_t>(request.format.channels, 1)),
        wake(std::move(wake_in)),
        queue(request.queue_blocks, std::max<std::size_t>(request.max_block_frames, 1) * channels) {
  }

  const RecordingRequest request;  // immutable: read by both threads
  const std::uint32_t channels;
  std::shared_ptr<WakeSignal> wake;
  BlockQueue queue;
  std::atomic<bool> close_requested{false};  // set by the handle after its last append
  std::atomic<bool> finished{false};         // set by the writer: appends are refused
  std::atomic<std::uint64_t> dropped_blocks{0};
  std::unique_ptr<RecordingSink> sink;  // writer thread only
};

}  // namespace kolokol::media
