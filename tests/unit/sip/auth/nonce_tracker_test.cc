#include "sip/auth/nonce_tracker.h"

#include <gtest/gtest.h>

namespace kolokol::sip {
namespace {

using Result = NonceTracker::Result;

TEST(NonceTracker, RefusesRepeatedAndLowerCounts) {
  NonceTracker tracker(8);
  EXPECT_EQ(tracker.use(1, 1), Result::Accepted);
  EXPECT_EQ(tracker.use(1, 1), Result::Replay);
  EXPECT_EQ(tracker.use(1, 5), Result::Accepted);
  EXPECT_EQ(tracker.use(1, 4), Result::Replay);
  EXPECT_EQ(tracker.use(2, 1), Result::Accepted);
  EXPECT_EQ(tracker.size(), 2u);
}

TEST(NonceTracker, StaysBoundedAndForgetsSafely) {
  NonceTracker tracker(3);
  for (std::uint64_t serial = 1; serial <= 100; ++serial) {
    EXPECT_EQ(tracker.use(serial, 1), Result::Accepted);
    EXPECT_LE(tracker.size(), 3u);
  }
  EXPECT_EQ(tracker.use(5, 2), Result::Forgotten);  // its slot went to a newer nonce
  EXPECT_EQ(tracker.use(100, 1), Result::Replay);
  EXPECT_EQ(tracker.use(101, 1), Result::Accepted);
}

TEST(NonceTracker, WindowIsTheLastIssuedSerials) {
  NonceTracker tracker(4);
  EXPECT_EQ(tracker.use(1, 1), Result::Accepted);
  EXPECT_EQ(tracker.use(4, 1), Result::Accepted);
  // Serial 3 was issued but not used yet: still inside the window of four.
  EXPECT_EQ(tracker.use(3, 1), Result::Accepted);
  EXPECT_EQ(tracker.use(5, 1), Result::Accepted);  // takes serial 1's slot
  EXPECT_EQ(tracker.use(1, 2), Result::Forgotten);
  EXPECT_EQ(tracker.use(4, 2), Result::Accepted);  // reused with a higher count, as phones do
  EXPECT_EQ(tracker.use(9, 1), Result::Accepted);  // a gap: serial 5's slot, older occupant
  EXPECT_EQ(tracker.use(5, 2), Result::Forgotten);
}

}  // namespace
}  // namespace kolokol::sip
