#include "media/audio/tts_cache.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "media/audio/audio_file.h"
#include "unit/media/audio/audio_test_support.h"
#include "unit/media/audio/tts_test_support.h"

namespace kolokol::media {
namespace {

namespace fs = std::filesystem;
using testing::rms;
using testing::TempDir;

class TtsCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    synthesizer_ = testing::shared_synthesizer();
    ASSERT_NE(synthesizer_, nullptr) << testing::shared_synthesizer_error()->describe();
  }

  std::set<std::string> files() const {
    std::set<std::string> names;
    std::error_code ignored;
    for (const auto& entry : fs::directory_iterator(dir_ / "tts", ignored)) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }

  TempDir dir_;
  SpeechSynthesizer* synthesizer_ = nullptr;
};

TEST_F(TtsCacheTest, SecondRequestIsServedFromDiskWithoutSynthesis) {
  TtsCache cache(*synthesizer_, dir_ / "tts");
  const auto before = synthesizer_->synthesis_count();
  auto first = cache.get("Здравствуйте", {.voice = "ru"});
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(synthesizer_->synthesis_count(), before + 1);
  auto second = cache.get("Здравствуйте", {.voice = "ru"});
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(synthesizer_->synthesis_count(), before + 1);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);

  // A fresh cache over the same directory (a restart) finds it too.
  TtsCache restarted(*synthesizer_, dir_ / "tts");
  auto third = restarted.get("Здравствуйте", {.voice = "ru"});
  ASSERT_TRUE(third);
  EXPECT_EQ(*third, *first);
  EXPECT_EQ(synthesizer_->synthesis_count(), before + 1);

  // Only the entry itself is left behind, no temporaries.
  const std::string stem = first->stem().string();
  EXPECT_EQ(stem.size(), 64u);
  EXPECT_EQ(files(), (std::set<std::string>{stem + ".wav", stem + ".key"}));
}

TEST_F(TtsCacheTest, CachedSpeechLoadsAsAPromptAtTheRequestedRate) {
  TtsCache cache(*synthesizer_, dir_ / "tts");
  for (const auto& [text, voice] : {std::pair{"Здравствуйте", "ru"}, std::pair{"Hello", "en"}}) {
    SCOPED_TRACE(voice);
    auto path = cache.get(text, {.voice = voice});
    ASSERT_TRUE(path) << path.error().describe();
    for (int rate : {8000, 16000}) {
      auto clip = load_prompt(*path, rate);
      ASSERT_TRUE(clip) << clip.error().describe();
      EXPECT_EQ((*clip)->sample_rate(), rate);
      const auto seconds = std::chrono::duration<double>((*clip)->duration()).count();
      EXPECT_GT(seconds, 0.3);
      EXPECT_LT(seconds, 5.0);
      EXPECT_GT(rms((*clip)->samples()), 500.0);
    }
  }
}

TEST_F(TtsCacheTest, EveryOptionIsPartOfTheKey) {
  TtsCache cache(*synthesizer_, dir_ / "tts");
  const auto before = synthesizer_->synthesis_count();
  const std::vector<SpeechOptions> variants = {{.voice = "en"},
                                               {.voice = "ru"},
                                               {.voice = "en", .rate_wpm = 120},
                                               {.voice = "en", .pitch = 80}};
  std::set<fs::path> paths;
  for (const auto& options : variants) {
    auto path = cache.get("Hello", options);
    ASSERT_TRUE(path) << path.error().describe();
    paths.insert(*path);
  }
  EXPECT_EQ(paths.size(), variants.size());
  EXPECT_EQ(synthesizer_->synthesis_count(), before + variants.size());
  EXPECT_NE(TtsCache::request_key("Hello", {}), TtsCache::request_key("Hello ", {}));
}

TEST_F(TtsCacheTest, DamagedEntryIsSynthesizedAgain) {
  TtsCache cache(*synthesizer_, dir_ / "tts");
  auto path = cache.get("Hello", {});
  ASSERT_TRUE(path);
  const fs::path key_file = fs::path(*path).replace_extension(".key");
  std::ofstream(key_file, std::ios::trunc) << "something else";
  const auto before = synthesizer_->synthesis_count();
  auto again = cache.get("Hello", {});
  ASSERT_TRUE(again);
  EXPECT_EQ(synthesizer_->synthesis_count(), before + 1);
  EXPECT_EQ(cache.hits(), 0u);

  fs::resize_file(*again, 20);  // audio cut to part of a header
  ASSERT_TRUE(cache.get("Hello", {}));
  EXPECT_EQ(synthesizer_->synthesis_count(), before + 2);
  auto clip = load_prompt(*again, 8000);
  EXPECT_TRUE(clip);
}

TEST_F(TtsCacheTest, RefusedTextLeavesNoTrace) {
  TtsCache cache(*synthesizer_, dir_ / "tts");
  const auto before = synthesizer_->synthesis_count();
  auto overlong = cache.get(std::string(5000, 'a'), {});
  ASSERT_FALSE(overlong);
  EXPECT_EQ(overlong.error().kind, TtsErrorKind::TextTooLong);
  EXPECT_EQ(synthesizer_->synthesis_count(), before);
  EXPECT_FALSE(fs::exists(dir_ / "tts"));
}

TEST_F(TtsCacheTest, UnwritableDirectoryIsAnIoError) {
  std::ofstream(dir_ / "file") << "not a directory";
  TtsCache cache(*synthesizer_, dir_ / "file" / "tts");
  auto path = cache.get("Hello", {});
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().kind, TtsErrorKind::CacheIo);
}

}  // namespace
}  // namespace kolokol::media
