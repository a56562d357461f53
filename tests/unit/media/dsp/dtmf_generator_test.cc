#include "media/dsp/dtmf_generator.h"

#include <gtest/gtest.h>

#include <vector>

#include "unit/media/dsp/signal_analysis.h"

namespace kolokol::media {
namespace {

using testing::goertzel_power;

TEST(DtmfGenerator, EachDigitIsItsRowAndColumn) {
  constexpr std::array<int, 8> kAll = {697, 770, 852, 941, 1209, 1336, 1477, 1633};
  for (int rate : {8000, 16000}) {
    for (char digit : std::string_view("0123456789*#ABCD")) {
      auto generator = DtmfGenerator::create({rate, 100, 50, -10.0, 0.0});
      ASSERT_TRUE(generator);
      ASSERT_TRUE(generator->queue(std::string(1, digit)));
      std::vector<std::int16_t> pcm(static_cast<std::size_t>(rate) * 150 / 1000);
      EXPECT_EQ(generator->generate(pcm), pcm.size());
      EXPECT_TRUE(generator->idle());
      const auto tone = std::span(pcm).subspan(static_cast<std::size_t>(rate / 100),
                                               static_cast<std::size_t>(rate / 20));
      const auto [row, column] = DtmfGenerator::frequencies(digit);
      const double peak = dbm0_to_peak(-10.0);
      for (int freq : kAll) {
        const double power = goertzel_power(tone, freq, rate);
        if (freq == row || freq == column) {
          EXPECT_NEAR(std::sqrt(power) * 2, peak, peak * 0.05) << digit << " " << freq;
        } else {
          EXPECT_LT(power, peak * peak / 400) << digit << " " << freq;
        }
      }
      const auto pause = std::span(pcm).subspan(static_cast<std::size_t>(rate) * 105 / 1000);
      EXPECT_EQ(testing::rms(pause), 0.0) << digit;
    }
  }
}

TEST(DtmfGenerator, TimingAcrossFramesAndSilenceAfter) {
  auto generator = DtmfGenerator::create({8000, 70, 50, -10.0, 2.0});
  ASSERT_TRUE(generator);
  ASSERT_EQ(*generator->queue("12"), 2u);
  ASSERT_EQ(*generator->queue("3"), 3u);
  std::vector<std::int16_t> frame(160);
  std::size_t signal = 0;
  for (int i = 0; i < 30; ++i) signal += generator->generate(frame);
  EXPECT_EQ(signal, 3u * (560 + 400));
  EXPECT_EQ(testing::rms(frame), 0.0);
  // Twist: the high group 2 dB above the low one.
  auto twisted = DtmfGenerator::create({8000, 200, 50, -10.0, 2.0});
  ASSERT_TRUE(twisted->queue("5"));
  std::vector<std::int16_t> pcm(1600);
  twisted->generate(pcm);
  const double ratio_db =
      10 * std::log10(goertzel_power(std::span(pcm).subspan(80, 1200), 1336, 8000) /
                      goertzel_power(std::span(pcm).subspan(80, 1200), 770, 8000));
  EXPECT_NEAR(ratio_db, 2.0, 0.2);
}

TEST(DtmfGenerator, RefusesBadDigitsAndSettings) {
  auto generator = DtmfGenerator::create();
  ASSERT_TRUE(generator);
  EXPECT_EQ(generator->queue("12x").error(), DtmfGeneratorError::NotADigit);
  EXPECT_EQ(generator->queue("F").error(), DtmfGeneratorError::NotADigit);  // flash: no tone
  EXPECT_TRUE(generator->idle());  // nothing of the refused strings was queued
  EXPECT_EQ(*generator->queue("abcd"), 4u);
  EXPECT_EQ(generator->queue(std::string(DtmfGenerator::kMaxQueued, '1')).error(),
            DtmfGeneratorError::QueueFull);
  EXPECT_EQ(DtmfGenerator::create({4000, 100, 100, -10, 0}).error(),
            DtmfGeneratorError::BadSampleRate);
  EXPECT_EQ(DtmfGenerator::create({8000, 0, 100, -10, 0}).error(), DtmfGeneratorError::BadTiming);
  EXPECT_EQ(DtmfGenerator::create({8000, 100, 20000, -10, 0}).error(),
            DtmfGeneratorError::BadTiming);
  EXPECT_EQ(DtmfGenerator::create({8000, 100, 100, 0, 4}).error(), DtmfGeneratorError::BadLevel);
  EXPECT_EQ(DtmfGenerator::frequencies('#'), (std::array<int, 2>{941, 1477}));
  EXPECT_EQ(DtmfGenerator::frequencies('E'), (std::array<int, 2>{0, 0}));
}

}  // namespace
}  // namespace kolokol::media
