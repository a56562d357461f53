#include "media/dsp/tone_profile.h"

#include <gtest/gtest.h>

namespace kolokol::media {
namespace {

void expect_segments(const Tone& tone, std::initializer_list<ToneSegment> expected) {
  ASSERT_EQ(tone.segments().size(), expected.size());
  std::size_t i = 0;
  for (const ToneSegment& segment : expected) {
    EXPECT_EQ(tone.segments()[i].freq1_hz, segment.freq1_hz) << i;
    EXPECT_EQ(tone.segments()[i].freq2_hz, segment.freq2_hz) << i;
    EXPECT_EQ(tone.segments()[i].duration_ms, segment.duration_ms) << i;
    ++i;
  }
}

TEST(ToneProfile, RussiaIsTheDefault) {
  const ToneProfile ru = default_tone_profile();
  EXPECT_EQ(ru.country, "ru");
  expect_segments(ru.dial, {tone_on(425, 0, 0)});
  expect_segments(ru.ringback, {tone_on(425, 0, 1000), tone_off(4000)});
  expect_segments(ru.busy, {tone_on(425, 0, 350), tone_off(350)});
  expect_segments(ru.congestion, {tone_on(425, 0, 175), tone_off(175)});
  expect_segments(ru.call_waiting, {tone_on(425, 0, 200), tone_off(5000)});
  EXPECT_TRUE(ru.ringback.repeats());
  EXPECT_EQ(&ru.tone(CallProgressTone::Busy), &ru.busy);
}

TEST(ToneProfile, LooksUpByCountryCodeInAnyCase) {
  auto us = find_tone_profile("US");
  ASSERT_TRUE(us);
  expect_segments(us->ringback, {tone_on(440, 480, 2000), tone_off(4000)});
  expect_segments(us->dial, {tone_on(350, 440, 0)});
  auto gb = find_tone_profile("uk");
  ASSERT_TRUE(gb);
  EXPECT_EQ(gb->country, "gb");
  expect_segments(gb->ringback,
                  {tone_on(400, 450, 400), tone_off(200), tone_on(400, 450, 400), tone_off(2000)});
  ASSERT_TRUE(find_tone_profile("de"));
  EXPECT_EQ(find_tone_profile("de")->busy.segments()[0].duration_ms, 480u);
  ASSERT_TRUE(find_tone_profile("Fr"));
  EXPECT_EQ(find_tone_profile("fr")->dial.segments()[0].freq1_hz, 440);
  for (std::string_view code : tone_profile_countries()) EXPECT_TRUE(find_tone_profile(code));
}

TEST(ToneProfile, UnknownCountryIsAClearError) {
  for (std::string_view code : {"xx", "", "r", "rus", "r\0"}) {
    auto profile = find_tone_profile(code);
    ASSERT_FALSE(profile) << code;
    EXPECT_EQ(profile.error(), ToneProfileError::UnknownCountry);
  }
  EXPECT_NE(tone_profile_error_name(ToneProfileError::UnknownCountry).find("ru"),
            std::string_view::npos);
}

}  // namespace
}  // namespace kolokol::media
