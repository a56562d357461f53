#include "media/mix/talker_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tone_measure.h"

namespace kolokol::media {
namespace {

TEST(TalkerDetector, NeedsTheAttackAndHoldsOverShortPauses) {
  TalkerDetector detector({.threshold_dbfs = -40, .attack_frames = 2, .hangover_frames = 3});
  test::Tone loud(400, 3000, 8000);                // about -23 dBFS
  const std::vector<std::int16_t> quiet(160, 20);  // about -64 dBFS

  detector.update(loud.next(160));
  EXPECT_FALSE(detector.talking());  // one loud frame: could be a click
  detector.update(loud.next(160));
  EXPECT_TRUE(detector.talking());
  EXPECT_NEAR(detector.level_dbfs(), 20 * std::log10(3000 / 32768.0) - 3.01, 0.1);

  detector.update(quiet);
  detector.update(quiet);
  EXPECT_TRUE(detector.talking());  // a pause between words
  detector.update(quiet);
  EXPECT_FALSE(detector.talking());
}

TEST(TalkerDetector, AbsentFramesCountAsQuiet) {
  TalkerDetector detector({.attack_frames = 1, .hangover_frames = 2});
  test::Tone loud(400, 3000, 8000);
  detector.update(loud.next(160));
  EXPECT_TRUE(detector.talking());
  detector.update({});
  detector.update({});
  EXPECT_FALSE(detector.talking());
  EXPECT_TRUE(std::isinf(detector.level_dbfs()));
}

}  // namespace
}  // namespace kolokol::media
