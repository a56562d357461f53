#include "media/dsp/digit_event.h"

#include <gtest/gtest.h>

namespace kolokol::media {
namespace {

TEST(DigitEvent, NormalizesDigits) {
  for (char c : std::string_view("0123456789*#ABCDF")) EXPECT_EQ(normalize_digit(c), c);
  EXPECT_EQ(normalize_digit('a'), 'A');
  EXPECT_EQ(normalize_digit('d'), 'D');
  EXPECT_EQ(normalize_digit('f'), 'F');
  for (char c : std::string_view("Ee!x /:\x7f")) EXPECT_FALSE(normalize_digit(c)) << int{c};
  EXPECT_FALSE(normalize_digit('\0'));
  EXPECT_TRUE(is_dtmf_tone_digit('A'));
  EXPECT_FALSE(is_dtmf_tone_digit('a'));  // tone digits are canonical
  EXPECT_FALSE(is_dtmf_tone_digit('F'));
  EXPECT_EQ(digit_source_name(DigitSource::SipInfo), "sip-info");
}

}  // namespace
}  // namespace kolokol::media
