#include "sip/auth/nonce_tracker.h"

#include <gtest/gtest.h>

namespace kolokol::sip {
namespace {

using Result = NonceTracker::Result;

TEST(NonceTracker, RefusesRepeatedAndLowerCounts) {
  NonceTracker tracker(8);
  EXPECT_EQ(tracker.use("a", 1, 1), Result::Accepted);
  EXPECT_EQ(tracker.use("a", 1, 1), Result::Replay);
  EXPECT_EQ(tracker.use("a", 1, 5), Result::Accepted);
  EXPECT_EQ(tracker.use("a", 1, 4), Result::Replay);
  EXPECT_EQ(tracker.use("b", 2, 1), Result::Accepted);
  EXPECT_EQ(tracker.size(), 2u);
}

TEST(NonceTracker, StaysBoundedAndForgetsSafely) {
  NonceTracker tracker(3);
  for (std::uint64_t serial = 1; serial <= 100; ++serial) {
    EXPECT_EQ(tracker.use("n" + std::to_string(serial), serial, 1), Result::Accepted);
    EXPECT_LE(tracker.size(), 3u);
  }
  EXPECT_EQ(tracker.use("n5", 5, 2), Result::Forgotten);
  EXPECT_EQ(tracker.use("n100", 100, 1), Result::Replay);
  EXPECT_EQ(tracker.use("n101", 101, 1), Result::Accepted);
}

TEST(NonceTracker, RecentlyUsedNoncesSurviveEviction) {
  NonceTracker tracker(2);
  tracker.use("old", 1, 1);
  tracker.use("mid", 2, 1);
  tracker.use("old", 1, 2);  // touched: now the most recent
  tracker.use("new", 3, 1);  // evicts "mid"
  EXPECT_EQ(tracker.use("old", 1, 3), Result::Accepted);
  EXPECT_EQ(tracker.use("mid", 2, 2), Result::Forgotten);
}

}  // namespace
}  // namespace kolokol::sip
