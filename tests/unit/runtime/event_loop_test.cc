#include "runtime/event_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "runtime/fd_limit.h"

namespace kolokol::runtime {
namespace {

TEST(EventLoop, RunsPostedTasksOnItsThread) {
  EventLoop loop("test");
  loop.start();
  std::promise<bool> on_loop;
  loop.post([&] { on_loop.set_value(loop.in_loop_thread()); });
  EXPECT_TRUE(on_loop.get_future().get());
  EXPECT_FALSE(loop.in_loop_thread());
  loop.stop();
  EXPECT_FALSE(loop.running());
}

TEST(EventLoop, StopRunsTasksPostedBeforeIt) {
  EventLoop loop("test");
  loop.start();
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) loop.post([&] { ++ran; });
  loop.stop();
  EXPECT_EQ(ran.load(), 100);
}

TEST(EventLoop, CanRestartAfterStop) {
  EventLoop loop("test");
  loop.start();
  loop.stop();
  loop.start();
  std::promise<void> done;
  loop.post([&] { done.set_value(); });
  done.get_future().wait();
  loop.stop();
}

TEST(FdLimit, SoftLimitEqualsHardAfterRaise) {
  auto limit = raise_fd_limit();
  ASSERT_TRUE(limit.has_value()) << limit.error();
  EXPECT_EQ(limit->soft, limit->hard);
  EXPECT_GT(limit->soft, 0u);
}

}  // namespace
}  // namespace kolokol::runtime
