#pragma once

#include <cstdint>
#include <functional>
#include <map>

#include "base/clock.h"

namespace kolokol::base {

using TimerId = std::uint64_t;
inline constexpr TimerId kNoTimer = 0;

// Schedules callbacks after a delay. Components that need timers (SIP transactions, dialogs,
// session timers, idle connections) take a TimerService& so tests can drive time by hand.
// A TimerService is single-threaded: schedule, cancel and the callbacks all run on the thread
// (or strand) that owns it.
class TimerService {
 public:
  using Callback = std::function<void()>;

  virtual ~TimerService() = default;
  virtual TimePoint now() const = 0;
  virtual TimerId schedule(Duration delay, Callback callback) = 0;
  // Cancelling an unknown or already fired timer is a no-op.
  virtual void cancel(TimerId id) = 0;
};

// A TimerService whose time moves only through advance(); timers due within the advanced span
// fire in deadline order, each seeing now() equal to its own deadline.
class ManualTimerService final : public TimerService {
 public:
  TimePoint now() const override { return now_; }
  TimerId schedule(Duration delay, Callback callback) override;
  void cancel(TimerId id) override;

  void advance(Duration span);
  std::size_t pending() const { return timers_.size(); }

 private:
  struct Key {
    TimePoint deadline;
    TimerId id;
    bool operator<(const Key& other) const {
      return deadline != other.deadline ? deadline < other.deadline : id < other.id;
    }
  };
  TimePoint now_{};
  TimerId next_id_ = 1;
  std::map<Key, Callback> timers_;
  std::map<TimerId, TimePoint> deadlines_;
};

}  // namespace kolokol::base
