#include "runtime/asio_timer_service.h"

#include <gtest/gtest.h>

#include <vector>

namespace kolokol::runtime {
namespace {

using namespace std::chrono_literals;

// Runs the context until done() or the guard timeout; returns done().
template <typename Pred>
bool run_until(boost::asio::io_context& io, Pred done, std::chrono::milliseconds guard = 2s) {
  const auto limit = std::chrono::steady_clock::now() + guard;
  while (!done() && std::chrono::steady_clock::now() < limit) {
    io.restart();
    io.run_for(5ms);
  }
  return done();
}

TEST(AsioTimerService, FiresInDeadlineOrder) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  std::vector<int> fired;
  timers.schedule(30ms, [&] { fired.push_back(3); });
  timers.schedule(1ms, [&] { fired.push_back(1); });
  timers.schedule(15ms, [&] { fired.push_back(2); });
  EXPECT_EQ(timers.pending(), 3u);
  ASSERT_TRUE(run_until(io, [&] { return fired.size() == 3; }));
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(timers.pending(), 0u);
}

TEST(AsioTimerService, DoesNotFireEarly) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  const auto start = timers.now();
  base::TimePoint fired_at{};
  timers.schedule(20ms, [&] { fired_at = timers.now(); });
  ASSERT_TRUE(run_until(io, [&] { return fired_at != base::TimePoint{}; }));
  EXPECT_GE(fired_at - start, 20ms);
}

TEST(AsioTimerService, CancelledTimerNeverFiresAndLaterOnesStillDo) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  bool cancelled_fired = false;
  bool later_fired = false;
  const auto earliest = timers.schedule(1ms, [&] { cancelled_fired = true; });
  timers.schedule(10ms, [&] { later_fired = true; });
  timers.cancel(earliest);
  timers.cancel(earliest);
  timers.cancel(12345);  // unknown id: no-op
  ASSERT_TRUE(run_until(io, [&] { return later_fired; }));
  EXPECT_FALSE(cancelled_fired);
}

TEST(AsioTimerService, CallbackMayScheduleAndCancel) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  int ticks = 0;
  bool victim_fired = false;
  base::TimerId victim = timers.schedule(50ms, [&] { victim_fired = true; });
  std::function<void()> tick = [&] {
    ++ticks;
    if (ticks == 1) timers.cancel(victim);
    if (ticks < 5) timers.schedule(1ms, tick);
  };
  timers.schedule(1ms, tick);
  ASSERT_TRUE(run_until(io, [&] { return ticks == 5; }));
  io.restart();
  io.run_for(60ms);
  EXPECT_FALSE(victim_fired);
  EXPECT_EQ(ticks, 5);
}

TEST(AsioTimerService, EarlierTimerScheduledLaterRearms) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  std::vector<int> fired;
  timers.schedule(1s, [&] { fired.push_back(2); });
  timers.schedule(5ms, [&] { fired.push_back(1); });
  ASSERT_TRUE(run_until(
      io, [&] { return !fired.empty(); }, 500ms));
  EXPECT_EQ(fired, std::vector<int>{1});
  EXPECT_EQ(timers.pending(), 1u);
}

TEST(AsioTimerService, DestroyedServiceLeavesNoDanglingHandler) {
  boost::asio::io_context io;
  bool fired = false;
  {
    AsioTimerService timers(io);
    timers.schedule(1ms, [&] { fired = true; });
  }
  io.run_for(20ms);  // the cancelled wait completes without touching the dead service
  EXPECT_FALSE(fired);
}

TEST(AsioTimerService, CallbackMayDestroyTheService) {
  boost::asio::io_context io;
  auto timers = std::make_unique<AsioTimerService>(io);
  bool second = false;
  timers->schedule(1ms, [&] { timers.reset(); });
  timers->schedule(1ms, [&] { second = true; });
  ASSERT_TRUE(run_until(io, [&] { return timers == nullptr; }));
  io.restart();
  io.run_for(10ms);
  EXPECT_FALSE(second);
}

TEST(AsioTimerService, ManyTimersCancelCheaply) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  std::vector<base::TimerId> ids;
  int fired = 0;
  for (int i = 0; i < 20000; ++i) ids.push_back(timers.schedule(1h, [&] { ++fired; }));
  for (auto id : ids) timers.cancel(id);
  EXPECT_EQ(timers.pending(), 0u);
  timers.schedule(1ms, [&] { ++fired; });
  ASSERT_TRUE(run_until(io, [&] { return fired == 1; }));
}

}  // namespace
}  // namespace kolokol::runtime
