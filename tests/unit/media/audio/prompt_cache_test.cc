#include "media/audio/prompt_cache.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "unit/media/audio/audio_test_support.h"

namespace kolokol::media {
namespace {

using testing::dominant_frequency;
using testing::TempDir;
using testing::ToneSpec;
using testing::write_tone_file;

// One second at 8 kHz, 16-bit: 16,000 bytes decoded.
constexpr std::size_t kClipBytes = 16000;

void write_tone(const std::filesystem::path& path, double frequency) {
  ASSERT_TRUE(write_tone_file(path, {SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 1.0, frequency}));
}

TEST(PromptCache, SecondRequestSharesTheFirstClip) {
  TempDir dir;
  write_tone(dir / "a.wav", 1000);
  PromptCache cache;
  auto first = cache.get(dir / "a.wav", 8000);
  auto second = cache.get(dir / "a.wav", 8000);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(dominant_frequency((*first)->samples(), 8000), 1000);
  EXPECT_EQ(cache.stats().loads, 1u);
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(cache.stats().bytes, kClipBytes);

  // Another rate is another clip.
  auto wideband = cache.get(dir / "a.wav", 16000);
  ASSERT_TRUE(wideband);
  EXPECT_EQ((*wideband)->sample_rate(), 16000);
  EXPECT_EQ(cache.stats().loads, 2u);
  EXPECT_EQ(cache.stats().clips, 2u);
}

TEST(PromptCache, EvictsTheLeastRecentlyUsedOverTheCap) {
  TempDir dir;
  write_tone(dir / "a.wav", 500);
  write_tone(dir / "b.wav", 1000);
  write_tone(dir / "c.wav", 1500);
  PromptCache cache({.max_bytes = 2 * kClipBytes + 100});
  auto b = cache.get(dir / "b.wav", 8000);
  ASSERT_TRUE(cache.get(dir / "a.wav", 8000));
  ASSERT_TRUE(b);
  ASSERT_TRUE(cache.get(dir / "b.wav", 8000));  // b is now the most recently used
  ASSERT_TRUE(cache.get(dir / "c.wav", 8000));  // pushes out a
  EXPECT_EQ(cache.stats().evictions, 1u);
  EXPECT_EQ(cache.stats().clips, 2u);
  EXPECT_LE(cache.stats().bytes, 2 * kClipBytes + 100);

  const auto loads = cache.stats().loads;
  ASSERT_TRUE(cache.get(dir / "b.wav", 8000));
  EXPECT_EQ(cache.stats().loads, loads);  // b stayed
  ASSERT_TRUE(cache.get(dir / "a.wav", 8000));
  EXPECT_EQ(cache.stats().loads, loads + 1);  // a had to be decoded again

  // A clip handed out before its eviction stays whole for its holder.
  cache.clear();
  EXPECT_EQ(cache.stats().bytes, 0u);
  EXPECT_EQ((*b)->samples().size(), 8000u);
  EXPECT_EQ(dominant_frequency((*b)->samples(), 8000), 1000);
}

TEST(PromptCache, ClipLargerThanTheCapIsServedButNotKept) {
  TempDir dir;
  write_tone(dir / "a.wav", 1000);
  PromptCache cache({.max_bytes = kClipBytes / 2});
  ASSERT_TRUE(cache.get(dir / "a.wav", 8000));
  ASSERT_TRUE(cache.get(dir / "a.wav", 8000));
  EXPECT_EQ(cache.stats().loads, 2u);
  EXPECT_EQ(cache.stats().clips, 0u);
}

TEST(PromptCache, FailuresAreNotRemembered) {
  TempDir dir;
  PromptCache cache;
  auto missing = cache.get(dir / "late.wav", 8000);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, AudioErrorKind::NotFound);
  write_tone(dir / "late.wav", 1000);
  EXPECT_TRUE(cache.get(dir / "late.wav", 8000));
}

TEST(PromptCache, ConcurrentRequestsEndUpWithOneSharedClip) {
  TempDir dir;
  write_tone(dir / "a.wav", 1000);
  PromptCache cache;
  std::vector<const PromptClip*> seen(4 * 20);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto clip = cache.get(dir / "a.wav", 8000);
        seen[static_cast<std::size_t>(t * 20 + i)] = clip ? clip->get() : nullptr;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const PromptClip* clip : seen) {
    ASSERT_NE(clip, nullptr);
    EXPECT_EQ(clip, seen.front());
  }
  EXPECT_EQ(cache.stats().clips, 1u);
  EXPECT_EQ(cache.stats().hits + cache.stats().loads, 80u);
}

}  // namespace
}  // namespace kolokol::media
