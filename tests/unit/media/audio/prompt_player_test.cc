#include "media/audio/prompt_player.h"

#include <gtest/gtest.h>

#include <array>
#include <numeric>
#include <vector>

namespace kolokol::media {
namespace {

constexpr std::size_t kFrame = 160;

// Samples first, first+1, ...: every sample says where it came from.
PromptClipPtr ramp(std::size_t count, std::int16_t first, int rate = 8000) {
  std::vector<std::int16_t> samples(count);
  std::iota(samples.begin(), samples.end(), first);
  return std::make_shared<const PromptClip>(std::move(samples), rate, "ramp");
}

PromptPlayer player_of(std::vector<PromptClipPtr> clips) {
  auto player = PromptPlayer::create(std::move(clips), 8000);
  EXPECT_TRUE(player);
  return std::move(*player);
}

TEST(PromptPlayer, PlaysClipsBackToBackThenPadsTheLastFrame) {
  PromptPlayer player = player_of({ramp(250, 1), ramp(130, 1001)});
  EXPECT_EQ(player.total_samples(), 380u);
  std::array<std::int16_t, kFrame> frame{};

  PlayedFrame played = player.next_frame(frame);
  EXPECT_EQ(played.audio_samples, kFrame);
  EXPECT_FALSE(played.finished);
  EXPECT_EQ(frame[0], 1);
  EXPECT_EQ(frame[159], 160);

  played = player.next_frame(frame);
  EXPECT_EQ(played.audio_samples, kFrame);
  EXPECT_FALSE(played.finished);
  EXPECT_EQ(frame[0], 161);
  EXPECT_EQ(frame[89], 250);   // last of the first clip
  EXPECT_EQ(frame[90], 1001);  // first of the second, in the same frame
  EXPECT_EQ(player.position().clip_index, 1u);
  EXPECT_EQ(player.position().offset_in_clip, 70u);
  EXPECT_EQ(player.position().samples_played, 320u);

  frame.fill(-1);
  played = player.next_frame(frame);
  EXPECT_EQ(played.audio_samples, 60u);
  EXPECT_TRUE(played.finished);
  EXPECT_EQ(frame[59], 1130);
  for (std::size_t i = 60; i < kFrame; ++i) ASSERT_EQ(frame[i], 0) << i;
  EXPECT_EQ(player.position().samples_played, 380u);
  EXPECT_EQ(player.position().clip_index, 2u);

  frame.fill(-1);
  played = player.next_frame(frame);
  EXPECT_EQ(played.audio_samples, 0u);
  EXPECT_TRUE(played.finished);
  for (std::int16_t sample : frame) ASSERT_EQ(sample, 0);
}

TEST(PromptPlayer, WholeFramesReportTheEndOnTheLastOne) {
  PromptPlayer player = player_of({ramp(2 * kFrame, 1)});
  std::array<std::int16_t, kFrame> frame{};
  EXPECT_FALSE(player.next_frame(frame).finished);
  const PlayedFrame last = player.next_frame(frame);
  EXPECT_EQ(last.audio_samples, kFrame);
  EXPECT_TRUE(last.finished);
  EXPECT_EQ(frame[159], 320);
}

TEST(PromptPlayer, PauseHoldsThePositionAndStopEndsIt) {
  PromptPlayer player = player_of({ramp(1000, 1)});
  std::array<std::int16_t, kFrame> frame{};
  player.next_frame(frame);
  player.pause();
  frame.fill(-1);
  const PlayedFrame paused = player.next_frame(frame);
  EXPECT_EQ(paused.audio_samples, 0u);
  EXPECT_FALSE(paused.finished);
  for (std::int16_t sample : frame) ASSERT_EQ(sample, 0);
  EXPECT_EQ(player.position().samples_played, kFrame);

  player.resume();
  player.next_frame(frame);
  EXPECT_EQ(frame[0], 161);  // carries on where it paused

  player.stop();
  frame.fill(-1);
  const PlayedFrame stopped = player.next_frame(frame);
  EXPECT_EQ(stopped.audio_samples, 0u);
  EXPECT_TRUE(stopped.finished);
  EXPECT_TRUE(player.finished());
  for (std::int16_t sample : frame) ASSERT_EQ(sample, 0);
  EXPECT_EQ(player.position().samples_played, 2 * kFrame);
}

TEST(PromptPlayer, EmptyClipsAndSequencesPlayNothing) {
  PromptPlayer player = player_of({ramp(0, 1), ramp(10, 5), ramp(0, 1)});
  std::array<std::int16_t, kFrame> frame{};
  const PlayedFrame played = player.next_frame(frame);
  EXPECT_EQ(played.audio_samples, 10u);
  EXPECT_TRUE(played.finished);
  EXPECT_EQ(frame[0], 5);

  PromptPlayer nothing = player_of({});
  EXPECT_TRUE(nothing.finished());
  EXPECT_TRUE(nothing.next_frame(frame).finished);
}

TEST(PromptPlayer, RefusesMissingClipsAndForeignRates) {
  auto null_clip = PromptPlayer::create({ramp(10, 1), nullptr}, 8000);
  ASSERT_FALSE(null_clip);
  EXPECT_EQ(null_clip.error(), PlayerError::NullClip);
  auto wideband = PromptPlayer::create({ramp(10, 1), ramp(10, 1, 16000)}, 8000);
  ASSERT_FALSE(wideband);
  EXPECT_EQ(wideband.error(), PlayerError::SampleRateMismatch);
}

}  // namespace
}  // namespace kolokol::media
