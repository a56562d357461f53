#include "registrar/auth_throttle.h"

#include <gtest/gtest.h>

#include <string>

namespace kolokol::registrar {
namespace {

using namespace std::chrono_literals;

class AuthThrottleTest : public ::testing::Test {
 protected:
  base::ManualTimerService timers;
  AuthThrottle throttle{AuthThrottle::Config{3, 60s, 300s, 4}, timers, base::Logger{}};
};

TEST_F(AuthThrottleTest, TheNthFailureWithinTheWindowBansForTheBanTime) {
  throttle.failure("192.0.2.1");
  throttle.failure("192.0.2.1");
  EXPECT_FALSE(throttle.blocked("192.0.2.1"));
  timers.advance(59s);
  throttle.failure("192.0.2.1");
  EXPECT_TRUE(throttle.blocked("192.0.2.1"));
  EXPECT_EQ(throttle.banned_count(), 1u);
  EXPECT_FALSE(throttle.blocked("192.0.2.2"));  // other addresses are unaffected
  EXPECT_FALSE(throttle.blocked("192.0.2.10"));
  timers.advance(299s);
  EXPECT_TRUE(throttle.blocked("192.0.2.1"));
  timers.advance(1s);
  EXPECT_FALSE(throttle.blocked("192.0.2.1"));
  EXPECT_EQ(throttle.banned_count(), 0u);
  // The count started afresh with the ban: one more failure is not a new ban.
  throttle.failure("192.0.2.1");
  EXPECT_FALSE(throttle.blocked("192.0.2.1"));
}

TEST_F(AuthThrottleTest, AnIpv6SourceCountsAsItsSlash64) {
  throttle.failure("2001:db8:0:1::1");
  throttle.failure("[2001:db8:0:1::2]");
  throttle.failure("2001:db8:0:1:ffff:ffff:ffff:ffff");  // a third host of the same /64
  EXPECT_TRUE(throttle.blocked("2001:db8:0:1::77"));
  EXPECT_FALSE(throttle.blocked("2001:db8:0:2::1"));  // the next /64 is another site
  EXPECT_EQ(throttle.tracked(), 1u);
  EXPECT_EQ(AuthThrottle::source_key("2001:DB8:0:1::99"), "2001:db8:0:1::/64");
  EXPECT_EQ(AuthThrottle::source_key("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(AuthThrottle::source_key("fe80::1%eth0"), "fe80::/64");
  EXPECT_EQ(AuthThrottle::source_key("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(AuthThrottle::source_key("not:an:address"), "not:an:address");
}

TEST_F(AuthThrottleTest, TheWindowSlides) {
  throttle.failure("192.0.2.1");  // t=0
  timers.advance(30s);
  throttle.failure("192.0.2.1");  // t=30
  timers.advance(30s);
  throttle.failure("192.0.2.1");  // t=60: the first is out of the window
  EXPECT_FALSE(throttle.blocked("192.0.2.1"));
  timers.advance(10s);
  throttle.failure("192.0.2.1");  // t=70: 30, 60, 70
  EXPECT_TRUE(throttle.blocked("192.0.2.1"));
}

TEST_F(AuthThrottleTest, FailuresDuringABanDoNotProlongIt) {
  for (int i = 0; i < 3; ++i) throttle.failure("2001:db8::1");
  timers.advance(250s);
  for (int i = 0; i < 10; ++i) throttle.failure("2001:db8::1");
  timers.advance(50s);
  EXPECT_FALSE(throttle.blocked("2001:db8::1"));
}

TEST_F(AuthThrottleTest, MemoryIsBoundedForgettingTheLeastRecentFailure) {
  throttle.failure("192.0.2.1");
  throttle.failure("192.0.2.1");
  timers.advance(1s);
  for (int i = 2; i <= 4; ++i) throttle.failure("192.0.2." + std::to_string(i));
  EXPECT_EQ(throttle.tracked(), 4u);
  throttle.failure("192.0.2.5");  // the table is full: 192.0.2.1 is forgotten
  EXPECT_EQ(throttle.tracked(), 4u);
  throttle.failure("192.0.2.1");
  EXPECT_FALSE(throttle.blocked("192.0.2.1"));  // two earlier failures no longer count
  // A failing address stays remembered: it is the most recent now.
  for (int i = 0; i < 100; ++i) {
    throttle.failure("198.51.100." + std::to_string(i));
    if (i % 3 == 0) throttle.failure("192.0.2.5");
  }
  EXPECT_EQ(throttle.tracked(), 4u);
  EXPECT_TRUE(throttle.blocked("192.0.2.5"));
}

}  // namespace
}  // namespace kolokol::registrar
