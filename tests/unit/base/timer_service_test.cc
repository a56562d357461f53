#include "base/timer_service.h"

#include <gtest/gtest.h>

#include <vector>

namespace kolokol::base {
namespace {

using namespace std::chrono_literals;

TEST(ManualTimerService, FiresInDeadlineOrderAndOnlyWhenDue) {
  ManualTimerService timers;
  std::vector<int> fired;
  timers.schedule(500ms, [&] { fired.push_back(2); });
  timers.schedule(100ms, [&] { fired.push_back(1); });
  timers.advance(99ms);
  EXPECT_TRUE(fired.empty());
  timers.advance(1ms);
  EXPECT_EQ(fired, std::vector<int>{1});
  timers.advance(1s);
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
}

TEST(ManualTimerService, CancelledTimerNeverFires) {
  ManualTimerService timers;
  bool fired = false;
  auto id = timers.schedule(10ms, [&] { fired = true; });
  timers.cancel(id);
  timers.cancel(id);  // second cancel is harmless
  timers.advance(1s);
  EXPECT_FALSE(fired);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST(ManualTimerService, CallbackSeesItsOwnDeadlineAndMayReschedule) {
  ManualTimerService timers;
  const auto start = timers.now();
  std::vector<Duration> seen;
  std::function<void()> tick = [&] {
    seen.push_back(std::chrono::duration_cast<Duration>(timers.now() - start));
    if (seen.size() < 3) timers.schedule(100ms, tick);
  };
  timers.schedule(100ms, tick);
  timers.advance(1s);
  EXPECT_EQ(seen, (std::vector<Duration>{100ms, 200ms, 300ms}));
}

}  // namespace
}  // namespace kolokol::base
