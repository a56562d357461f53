#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace kolokol::media {

// A bounded single-producer single-consumer queue of audio blocks with all storage allocated
// up front: the media worker copies a block in without locking or allocating, and learns at
// once when the queue is full instead of waiting. The writer thread reads blocks in place.
class BlockQueue {
 public:
  BlockQueue(std::size_t capacity_blocks, std::size_t max_block_samples);
  BlockQueue(const BlockQueue&) = delete;
  BlockQueue& operator=(const BlockQueue&) = delete;

  enum class PushResult : std::uint8_t { Queued, Full, TooLarge };
  // Producer only.
  PushResult try_push(std::span<const std::int16_t> samples);

  // Consumer only: the oldest block (empty span when there is none), valid until pop().
  std::span<const std::int16_t> front() const;
  bool empty() const;
  void pop();

  std::size_t capacity() const { return capacity_; }
  std::size_t max_block_samples() const { return max_block_samples_; }

 private:
  std::size_t capacity_;
  std::size_t max_block_samples_;
  std::vector<std::int16_t> storage_;  // capacity_ slots of max_block_samples_
  std::vector<std::size_t> sizes_;
  // Monotonic counters; the slot is the counter modulo capacity_. Separate cache lines keep the
  // two threads from bouncing one line between cores.
  alignas(64) std::atomic<std::uint64_t> head_{0};  // next block the producer writes
  alignas(64) std::atomic<std::uint64_t> tail_{0};  // next block the consumer reads
};

}  // namespace kolokol::media
