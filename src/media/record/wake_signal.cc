#include "media/record/wake_signal.h"

namespace kolokol::media {

void WakeSignal::notify() {
  // Pairs with the fence in sleep(): either this thread sees the writer asleep, or the writer's
  // re-check sees the work published before this call.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (!sleeping_.load(std::memory_order_relaxed)) return;
  epoch_.fetch_add(1, std::memory_order_acq_rel);
  epoch_.notify_one();
}

void WakeSignal::sleep(std::uint32_t seen, const std::function<bool()>& has_work) {
  sleeping_.store(true, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (!has_work()) epoch_.wait(seen, std::memory_order_acquire);
  sleeping_.store(false, std::memory_order_relaxed);
}

}  // namespace kolokol::media
