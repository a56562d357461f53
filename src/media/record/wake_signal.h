#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace kolokol::media {

// Wakes the recording writer thread without a lock, so producers on media workers never block:
// notify() is a flag check, plus one futex wake only while the writer is actually asleep.
class WakeSignal {
 public:
  // Any thread. Call after publishing the work (a queued block, a close request).
  void notify();

  // Writer thread: read the epoch before looking for work, then sleep() with it when there was
  // none. sleep() re-checks `has_work` after announcing itself, so a notify() racing with the
  // decision to sleep is never lost.
  std::uint32_t epoch() const { return epoch_.load(std::memory_order_acquire); }
  void sleep(std::uint32_t seen, const std::function<bool()>& has_work);

 private:
  std::atomic<std::uint32_t> epoch_{0};
  std::atomic<bool> sleeping_{false};
};

}  // namespace kolokol::media
