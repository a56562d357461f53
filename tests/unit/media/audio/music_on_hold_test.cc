#include <gtest/gtest.h>

#include <fstream>
#include <numeric>
#include <set>
#include <vector>

#include "media/audio/music_on_hold_class.h"
#include "media/audio/music_on_hold_loader.h"
#include "unit/media/audio/audio_test_support.h"

namespace kolokol::media {
namespace {

using std::chrono::milliseconds;
using testing::dominant_frequency;
using testing::TempDir;
using testing::ToneSpec;
using testing::write_tone_file;
using Samples = std::vector<std::int16_t>;

constexpr std::size_t kFrame = 160;  // 20 ms at 8 kHz
const base::TimePoint kStart = base::TimePoint{} + std::chrono::hours(1);

PromptClipPtr ramp(std::size_t count, std::int16_t first) {
  Samples samples(count);
  std::iota(samples.begin(), samples.end(), first);
  return std::make_shared<const PromptClip>(std::move(samples), 8000, "ramp");
}

std::unique_ptr<MusicOnHoldClass> make_class(std::vector<PromptClipPtr> tracks) {
  auto moh = MusicOnHoldClass::create("default", std::move(tracks), 8000);
  EXPECT_TRUE(moh) << moh.error().describe();
  return std::move(*moh);
}

Samples copy(std::span<const std::int16_t> frame) {
  return Samples(frame.begin(), frame.end());
}

TEST(MusicOnHoldClass, AdvancesOnlyWhenAFrameIsDue) {
  auto moh = make_class({ramp(10 * kFrame, 1)});
  EXPECT_EQ(moh->frame_samples(), kFrame);
  EXPECT_EQ(moh->frame_number(), 0u);
  for (std::int16_t sample : moh->current_frame()) ASSERT_EQ(sample, 0);  // not started

  moh->tick(kStart);
  EXPECT_EQ(moh->frame_number(), 1u);
  EXPECT_EQ(moh->current_frame()[0], 1);
  // Reading does not advance; neither do ticks before the next frame is due.
  EXPECT_EQ(moh->current_frame()[0], 1);
  moh->tick(kStart);
  moh->tick(kStart + milliseconds(19));
  EXPECT_EQ(moh->frame_number(), 1u);
  EXPECT_EQ(moh->current_frame()[0], 1);

  moh->tick(kStart + milliseconds(20));
  EXPECT_EQ(moh->frame_number(), 2u);
  EXPECT_EQ(moh->current_frame()[0], 161);

  // A late tick catches up: 60 ms later, three frames have gone by.
  moh->tick(kStart + milliseconds(80));
  EXPECT_EQ(moh->frame_number(), 5u);
  EXPECT_EQ(moh->current_frame()[0], 4 * 160 + 1);
  moh->tick(kStart + milliseconds(99));
  EXPECT_EQ(moh->frame_number(), 5u);
}

TEST(MusicOnHoldClass, ListenersShareOneStreamAndLateJoinersHearTheCurrentPoint) {
  auto moh = make_class({ramp(1000, 1), ramp(500, 5001)});
  std::vector<Samples> early, late;
  base::TimePoint now = kStart;
  for (int i = 0; i < 12; ++i, now += milliseconds(20)) {
    moh->tick(now);
    early.push_back(copy(moh->current_frame()));
    if (i >= 5) late.push_back(copy(moh->current_frame()));
  }
  // The late listener's first frame is the stream's sixth, not the start of a track.
  EXPECT_EQ(late.front(), early[5]);
  EXPECT_EQ(late.front()[0], 5 * 160 + 1);
  for (std::size_t i = 0; i < late.size(); ++i) EXPECT_EQ(late[i], early[i + 5]);

  // Track one ends inside frame 7 (1000 = 6 * 160 + 40); track two follows without a gap,
  // and after it the first track starts again (1500 = 9 * 160 + 60).
  EXPECT_EQ(early[6][39], 1000);
  EXPECT_EQ(early[6][40], 5001);
  EXPECT_EQ(early[9][59], 5500);
  EXPECT_EQ(early[9][60], 1);
  EXPECT_EQ(moh->track_index(), 0u);
}

TEST(MusicOnHoldClass, StallResynchronizesInsteadOfRacing) {
  auto moh = make_class({ramp(100 * kFrame, 1)});
  moh->tick(kStart);
  moh->tick(kStart + std::chrono::seconds(10));  // far more than kMaxCatchUpFrames behind
  EXPECT_EQ(moh->frame_number(), 2u);
  EXPECT_EQ(moh->current_frame()[0], 161);
  moh->tick(kStart + std::chrono::seconds(10) + milliseconds(19));
  EXPECT_EQ(moh->frame_number(), 2u);
  moh->tick(kStart + std::chrono::seconds(10) + milliseconds(20));
  EXPECT_EQ(moh->frame_number(), 3u);
}

TEST(MusicOnHoldClass, RefusesUnplayableTracks) {
  EXPECT_EQ(MusicOnHoldClass::create("x", {}, 8000).error().kind, MohErrorKind::NoPlayableFiles);
  EXPECT_EQ(MusicOnHoldClass::create("x", {nullptr}, 8000).error().kind, MohErrorKind::BadTrack);
  EXPECT_EQ(MusicOnHoldClass::create("x", {ramp(0, 1)}, 8000).error().kind, MohErrorKind::BadTrack);
  EXPECT_EQ(MusicOnHoldClass::create("x", {ramp(10, 1)}, 16000).error().kind,
            MohErrorKind::BadTrack);
  EXPECT_EQ(MusicOnHoldClass::create("x", {ramp(10, 1)}, 8000, milliseconds(0)).error().kind,
            MohErrorKind::BadFrameDuration);
  EXPECT_EQ(MusicOnHoldClass::create("x", {ramp(10, 1)}, 8000, milliseconds(2000)).error().kind,
            MohErrorKind::BadFrameDuration);
}

void write_tone(const std::filesystem::path& path, double frequency, double seconds = 0.1) {
  ASSERT_TRUE(
      write_tone_file(path, {SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, seconds, frequency}));
}

TEST(MusicOnHoldLoader, PlaysTheFolderInNameOrderAndLoops) {
  TempDir dir;
  write_tone(dir / "b_second.wav", 2000);  // 0.1 s: five frames each
  write_tone(dir / "a_first.wav", 1000);
  auto loaded = load_music_on_hold_class("default", dir.path());
  ASSERT_TRUE(loaded) << loaded.error().describe();
  MusicOnHoldClass& moh = *loaded->moh_class;
  EXPECT_TRUE(loaded->skipped.empty());
  EXPECT_EQ(moh.track_count(), 2u);
  EXPECT_EQ(moh.sample_rate(), 8000);

  std::vector<double> heard;
  base::TimePoint now = kStart;
  for (int i = 0; i < 15; ++i, now += milliseconds(20)) {
    moh.tick(now);
    heard.push_back(dominant_frequency(moh.current_frame(), 8000));
  }
  const std::vector<double> expected = {1000, 1000, 1000, 1000, 1000, 2000, 2000, 2000,
                                        2000, 2000, 1000, 1000, 1000, 1000, 1000};
  EXPECT_EQ(heard, expected);
}

TEST(MusicOnHoldLoader, ShuffleIsAPermutationFixedBySeed) {
  TempDir dir;
  const std::vector<double> tones = {500, 1000, 1500, 2000, 2500, 3000};
  for (double tone : tones) write_tone(dir / (std::to_string(int(tone)) + ".wav"), tone, 0.04);

  auto order = [&](std::uint32_t seed) {
    MohLoadOptions options;
    options.order = MohOrder::Shuffled;
    options.shuffle_seed = seed;
    auto loaded = load_music_on_hold_class("shuffled", dir.path(), options);
    EXPECT_TRUE(loaded);
    std::vector<double> heard;
    base::TimePoint now = kStart;
    for (std::size_t i = 0; i < tones.size(); ++i) {
      loaded->moh_class->tick(now);  // 40 ms tracks: listen to the first frame of each
      heard.push_back(dominant_frequency(loaded->moh_class->current_frame(), 8000));
      now += milliseconds(20);
      loaded->moh_class->tick(now);
      now += milliseconds(20);
    }
    return heard;
  };
  const auto first = order(7);
  EXPECT_EQ(std::multiset<double>(first.begin(), first.end()),
            std::multiset<double>(tones.begin(), tones.end()));
  EXPECT_EQ(order(7), first);
  bool some_seed_differs = false;
  for (std::uint32_t seed = 8; seed < 12; ++seed) some_seed_differs |= order(seed) != first;
  EXPECT_TRUE(some_seed_differs);
}

TEST(MusicOnHoldLoader, MissingEmptyAndUnplayableFolders) {
  TempDir dir;
  auto missing = load_music_on_hold_class("x", dir / "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, MohErrorKind::FolderMissing);

  auto empty = load_music_on_hold_class("x", dir.path());
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, MohErrorKind::NoPlayableFiles);

  std::ofstream(dir / "README.txt") << "put music here\n";
  auto unplayable = load_music_on_hold_class("x", dir.path());
  ASSERT_FALSE(unplayable);
  EXPECT_EQ(unplayable.error().kind, MohErrorKind::NoPlayableFiles);

  // One good file is enough; the bad one is reported, dot files are not even tried.
  write_tone(dir / "song.wav", 1000);
  std::ofstream(dir / ".hidden.wav") << "x";
  auto loaded = load_music_on_hold_class("x", dir.path());
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->moh_class->track_count(), 1u);
  ASSERT_EQ(loaded->skipped.size(), 1u);
  EXPECT_NE(loaded->skipped[0].detail.find("README.txt"), std::string::npos);
}

}  // namespace
}  // namespace kolokol::media
