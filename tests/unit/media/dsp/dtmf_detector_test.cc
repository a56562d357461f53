#include "media/dsp/dtmf_detector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "media/dsp/dtmf_generator.h"
#include "media/dsp/tone_generator.h"
#include "unit/media/dsp/signal_analysis.h"

namespace kolokol::media {
namespace {

// Silence, then `digits` as tone/pause, then silence; generated in 160-sample frames.
std::vector<std::int16_t> dtmf_audio(std::string_view digits, std::uint32_t on_ms,
                                     std::uint32_t off_ms, std::size_t lead_samples,
                                     double level_dbm0 = -10.0) {
  DtmfGeneratorConfig config;
  config.on_ms = on_ms;
  config.off_ms = off_ms;
  config.level_dbm0 = level_dbm0;
  auto generator = DtmfGenerator::create(config);
  EXPECT_TRUE(generator);
  std::vector<std::int16_t> audio(lead_samples, 0);
  EXPECT_TRUE(generator->queue(digits));
  std::vector<std::int16_t> frame(160);
  while (!generator->idle()) {
    generator->generate(frame);
    audio.insert(audio.end(), frame.begin(), frame.end());
  }
  audio.insert(audio.end(), 1600, 0);
  return audio;
}

std::vector<DigitNotice> detect(std::span<const std::int16_t> audio, std::size_t chunk) {
  DtmfDetector detector;
  std::vector<DigitNotice> notices;
  while (!audio.empty()) {
    const std::size_t n = std::min(chunk, audio.size());
    detector.process(audio.first(n), notices);
    audio = audio.subspan(n);
  }
  return notices;
}

TEST(DtmfDetector, EachDigitIsFoundWithItsDuration) {
  for (char digit : std::string_view("0123456789*#ABCD")) {
    for (std::uint32_t on_ms : {60u, 100u, 237u}) {
      const std::size_t lead = 800 + 37;  // 104.6 ms: not on a block boundary
      const auto audio = dtmf_audio(std::string(1, digit), on_ms, 100, lead);
      const auto notices = detect(audio, 160);
      ASSERT_EQ(notices.size(), 2u) << digit << " " << on_ms;
      EXPECT_EQ(notices[0].phase, DigitPhase::Began);
      EXPECT_EQ(notices[1].phase, DigitPhase::Ended);
      const DigitEvent& event = notices[1].event;
      EXPECT_EQ(event.digit, digit);
      EXPECT_EQ(event.source, DigitSource::Inband);
      EXPECT_NEAR(event.duration_ms, on_ms, 10) << digit;
      EXPECT_NEAR(static_cast<double>(event.start_ms), 104.6, 5) << digit;
      EXPECT_EQ(notices[0].event.start_ms, event.start_ms);
    }
  }
}

TEST(DtmfDetector, ADigitStringComesBackInOrderWhateverTheChunkSize) {
  constexpr std::string_view kDigits = "0123456789*#ABCD";
  const auto audio = dtmf_audio(kDigits, 70, 50, 400);
  for (std::size_t chunk : {1u, 37u, 160u, 1000u, 100000u}) {
    const auto notices = detect(audio, chunk);
    std::string began;
    std::string ended;
    std::int64_t previous_start = -1;
    for (const DigitNotice& notice : notices) {
      if (notice.phase == DigitPhase::Began) {
        began += notice.event.digit;
        continue;
      }
      ended += notice.event.digit;
      EXPECT_NEAR(notice.event.duration_ms, 70, 10) << notice.event.digit;
      EXPECT_GT(notice.event.start_ms, previous_start);
      // 50 ms of silence, then each digit 120 ms after the previous one.
      EXPECT_NEAR(static_cast<double>(notice.event.start_ms),
                  50.0 + 120.0 * static_cast<double>(ended.size() - 1), 5);
      previous_start = notice.event.start_ms;
    }
    EXPECT_EQ(began, kDigits) << "chunk " << chunk;
    EXPECT_EQ(ended, kDigits) << "chunk " << chunk;
  }
}

TEST(DtmfDetector, FindsNothingInSilenceOrDialTone) {
  std::vector<DigitNotice> notices;
  DtmfDetector detector;
  const std::vector<std::int16_t> silence(8000 * 2, 0);
  detector.process(silence, notices);
  auto tone = ToneGenerator::create(Tone{tone_on(425, 0, 0)}, 8000, -10.0);
  ASSERT_TRUE(tone);
  std::vector<std::int16_t> frame(160);
  for (int i = 0; i < 200; ++i) {
    tone->generate(frame);
    detector.process(frame, notices);
  }
  const auto us_dial = testing::sine(350, 8000, 8000, 8000);
  detector.process(us_dial, notices);
  EXPECT_TRUE(notices.empty());
  EXPECT_EQ(detector.position(), 16000u + 200u * 160u + 8000u);
}

TEST(DtmfDetector, TooShortOrTooWeakIsNotADigit) {
  // Q.24: under about 20 ms is not a digit; far below the threshold is noise.
  EXPECT_TRUE(detect(dtmf_audio("5", 15, 100, 400), 160).empty());
  EXPECT_TRUE(detect(dtmf_audio("5", 100, 100, 400, -55.0), 160).empty());
  EXPECT_EQ(detect(dtmf_audio("5", 100, 100, 400, -25.0), 160).size(), 2u);
}

TEST(DtmfDetector, MovedDetectorKeepsItsState) {
  const auto audio = dtmf_audio("7", 100, 100, 400);
  DtmfDetector first;
  std::vector<DigitNotice> notices;
  first.process(std::span(audio).first(1000), notices);
  DtmfDetector second = std::move(first);
  second.process(std::span(audio).subspan(1000), notices);
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[1].event.digit, '7');
  EXPECT_NEAR(notices[1].event.duration_ms, 100, 10);
}

}  // namespace
}  // namespace kolokol::media
