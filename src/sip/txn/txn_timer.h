#pragma once

#include <functional>
#include <utility>

#include "base/timer_service.h"

namespace kolokol::sip {

// One named timer of a transaction (A, B, D ...): at most one pending deadline, cancelled when
// restarted, stopped or destroyed, so a callback never outlives its transaction.
class TxnTimer {
 public:
  explicit TxnTimer(base::TimerService& timers) : timers_(timers) {}
  ~TxnTimer() { stop(); }
  TxnTimer(const TxnTimer&) = delete;
  TxnTimer& operator=(const TxnTimer&) = delete;

  void start(base::Duration delay, std::function<void()> on_fire) {
    stop();
    id_ = timers_.schedule(delay, [this, on_fire = std::move(on_fire)] {
      id_ = base::kNoTimer;
      on_fire();
    });
  }
  void stop() {
    if (id_ != base::kNoTimer) timers_.cancel(id_);
    id_ = base::kNoTimer;
  }
  bool running() const { return id_ != base::kNoTimer; }

 private:
  base::TimerService& timers_;
  base::TimerId id_ = base::kNoTimer;
};

}  // namespace kolokol::sip
