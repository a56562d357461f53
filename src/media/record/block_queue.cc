#include "media/record/block_queue.h"

#include <algorithm>

namespace kolokol::media {

BlockQueue::BlockQueue(std::size_t capacity_blocks, std::size_t max_block_samples)
    : capacity_(std::max<std::size_t>(capacity_blocks, 1)),
      max_block_samples_(std::max<std::size_t>(max_block_samples, 1)),
      storage_(capacity_ * max_block_samples_),
      sizes_(capacity_, 0) {}

BlockQueue::PushResult BlockQueue::try_push(std::span<const std::int16_t> samples) {
  if (samples.size() > max_block_samples_) return PushResult::TooLarge;
  const std::uint64_t head = head_.load(std::memory_order_relaxed);
  if (head - tail_.load(std::memory_order_acquire) >= capacity_) return PushResult::Full;
  const std::size_t slot = static_cast<std::size_t>(head % capacity_);
  std::copy(samples.begin(), samples.end(), storage_.begin() + slot * max_block_samples_);
  sizes_[slot] = samples.size();
  head_.store(head + 1, std::memory_order_release);
  return PushResult::Queued;
}

std::span<const std::int16_t> BlockQueue::front() const {
  const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
  if (tail == head_.load(std::memory_order_acquire)) return {};
  const std::size_t slot = static_cast<std::size_t>(tail % capacity_);
  return std::span<const std::int16_t>(storage_.data() + slot * max_block_samples_, sizes_[slot]);
}

bool BlockQueue::empty() const {
  return tail_.load(std::memory_order_relaxed) == head_.load(std::memory_order_acquire);
}

void BlockQueue::pop() {
  const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
  if (tail == head_.load(std::memory_order_acquire)) return;
  tail_.store(tail + 1, std::memory_order_release);
}

}  // namespace kolokol::media
