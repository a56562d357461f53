#include "base/timer_service.h"

namespace kolokol::base {

TimerId ManualTimerService::schedule(Duration delay, Callback callback) {
  const TimerId id = next_id_++;
  const TimePoint deadline = now_ + (delay.count() < 0 ? Duration{0} : delay);
  timers_.emplace(Key{deadline, id}, std::move(callback));
  deadlines_.emplace(id, deadline);
  return id;
}

void ManualTimerService::cancel(TimerId id) {
  auto it = deadlines_.find(id);
  if (it == deadlines_.end()) return;
  timers_.erase(Key{it->second, id});
  deadlines_.erase(it);
}

void ManualTimerService::advance(Duration span) {
  const TimePoint target = now_ + span;
  while (!timers_.empty() && timers_.begin()->first.deadline <= target) {
    auto node = timers_.extract(timers_.begin());
    deadlines_.erase(node.key().id);
    now_ = node.key().deadline;
    node.mapped()();  // may schedule or cancel further timers
  }
  now_ = target;
}

}  // namespace kolokol::base
