#include "media/audio/speech_synthesizer.h"

#include <gtest/gtest.h>

#include <string>

#include "unit/media/audio/audio_test_support.h"
#include "unit/media/audio/tts_test_support.h"

namespace kolokol::media {
namespace {

using testing::rms;

class SpeechSynthesizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    synthesizer_ = testing::shared_synthesizer();
    ASSERT_NE(synthesizer_, nullptr) << testing::shared_synthesizer_error()->describe();
  }

  // Speech is mostly voiced: loud on average, and not a constant or a click.
  static void expect_speech(const SynthesizedSpeech& speech) {
    const double seconds = static_cast<double>(speech.samples.size()) / speech.sample_rate;
    EXPECT_GT(seconds, 0.3);
    EXPECT_LT(seconds, 5.0);
    EXPECT_GT(rms(speech.samples), 500.0);
  }

  TtsErrorKind refusal(std::string_view text, const SpeechOptions& options = {}) {
    const auto before = synthesizer_->synthesis_count();
    auto speech = synthesizer_->synthesize(text, options);
    EXPECT_FALSE(speech);
    // Refused before espeak-ng was asked, except for voices only espeak-ng can judge.
    if (speech || speech.error().kind != TtsErrorKind::UnknownVoice) {
      EXPECT_EQ(synthesizer_->synthesis_count(), before);
    }
    return speech ? TtsErrorKind::SynthesisFailed : speech.error().kind;
  }

  SpeechSynthesizer* synthesizer_ = nullptr;
};

TEST_F(SpeechSynthesizerTest, SpeaksRussianAndEnglishAtTheNativeRate) {
  EXPECT_EQ(synthesizer_->native_sample_rate(), 22050);
  const auto before = synthesizer_->synthesis_count();

  auto russian = synthesizer_->synthesize("Здравствуйте", {.voice = "ru"});
  ASSERT_TRUE(russian) << russian.error().describe();
  EXPECT_EQ(russian->sample_rate, 22050);
  expect_speech(*russian);

  auto english = synthesizer_->synthesize("Hello", {.voice = "en"});
  ASSERT_TRUE(english) << english.error().describe();
  expect_speech(*english);
  EXPECT_NE(russian->samples, english->samples);
  EXPECT_EQ(synthesizer_->synthesis_count(), before + 2);
}

TEST_F(SpeechSynthesizerTest, RateOptionChangesTheDuration) {
  const std::string text = "Your call is important to us";
  auto slow = synthesizer_->synthesize(text, {.voice = "en", .rate_wpm = 100});
  auto fast = synthesizer_->synthesize(text, {.voice = "en", .rate_wpm = 300});
  ASSERT_TRUE(slow && fast);
  EXPECT_GT(slow->samples.size(), fast->samples.size() * 2);
  // Same settings, nearly the same timing. Not the same samples: espeak-ng makes its fricatives
  // from random noise, which is also why the cache compares keys, never audio.
  auto again = synthesizer_->synthesize(text, {.voice = "en", .rate_wpm = 100});
  ASSERT_TRUE(again);
  EXPECT_NEAR(static_cast<double>(again->samples.size()), static_cast<double>(slow->samples.size()),
              slow->samples.size() * 0.01);
}

TEST_F(SpeechSynthesizerTest, RefusesBadRequestsWithClearErrors) {
  EXPECT_EQ(refusal(std::string(4001, 'a')), TtsErrorKind::TextTooLong);
  EXPECT_EQ(refusal(""), TtsErrorKind::EmptyText);
  EXPECT_EQ(refusal(" \n\t "), TtsErrorKind::EmptyText);
  EXPECT_EQ(refusal("caf\xc3"), TtsErrorKind::InvalidText);
  EXPECT_EQ(refusal(std::string("a\0b", 3)), TtsErrorKind::InvalidText);
  EXPECT_EQ(refusal("hi", {.voice = "../../../etc/passwd"}), TtsErrorKind::UnknownVoice);
  EXPECT_EQ(refusal("hi", {.voice = ""}), TtsErrorKind::UnknownVoice);
  EXPECT_EQ(refusal("hi", {.voice = "zz-nonexistent"}), TtsErrorKind::UnknownVoice);
  EXPECT_EQ(refusal("hi", {.rate_wpm = 1000}), TtsErrorKind::BadOption);
  EXPECT_EQ(refusal("hi", {.pitch = -1}), TtsErrorKind::BadOption);

  // After all those, the engine still speaks.
  auto fine = synthesizer_->synthesize("Hello", {});
  ASSERT_TRUE(fine) << fine.error().describe();
  expect_speech(*fine);
}

TEST_F(SpeechSynthesizerTest, SpeechOverTheDurationCapIsCutAndRefused) {
  // The shared engine caps speech at testing::kTestMaxSpeech (10 s); this is about a minute.
  std::string text;
  while (text.size() < 600) text += "one two three four five six seven eight nine ten. ";
  auto speech = synthesizer_->synthesize(text, {.rate_wpm = 80});
  ASSERT_FALSE(speech);
  EXPECT_EQ(speech.error().kind, TtsErrorKind::SpeechTooLong);
  // The aborted request leaves the engine usable.
  auto after = synthesizer_->synthesize("Hello", {});
  ASSERT_TRUE(after) << after.error().describe();
  expect_speech(*after);
}

TEST_F(SpeechSynthesizerTest, ASecondEngineInTheProcessIsRefused) {
  auto second = SpeechSynthesizer::create();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, TtsErrorKind::AlreadyInitialized);
  // And the first is unharmed.
  EXPECT_TRUE(synthesizer_->synthesize("Hello", {}));
}

}  // namespace
}  // namespace kolokol::media
