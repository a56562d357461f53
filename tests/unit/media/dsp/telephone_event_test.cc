#include "media/dsp/telephone_event.h"

#include <gtest/gtest.h>

#include <vector>

namespace kolokol::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(TelephoneEvent, ReadsEveryField) {
  const Bytes bytes = {0x0b, 0xca, 0x03, 0x20};  // '#', E, R, volume 10, 800 units
  auto event = parse_telephone_event(bytes);
  ASSERT_TRUE(event) << telephone_event_error_name(event.error());
  EXPECT_EQ(event->event, 11);
  EXPECT_TRUE(event->end);
  EXPECT_EQ(event->volume, 10);
  EXPECT_EQ(event->duration, 800);
  EXPECT_EQ(digit_for_event(event->event), '#');
}

TEST(TelephoneEvent, RoundTripsThroughTheWire) {
  for (int code = 0; code <= 255; code += 17) {
    for (bool end : {false, true}) {
      TelephoneEvent event{static_cast<std::uint8_t>(code), end, 63, 0xfedc};
      auto bytes = serialize_telephone_event(event);
      ASSERT_TRUE(bytes);
      auto back = parse_telephone_event(*bytes);
      ASSERT_TRUE(back);
      EXPECT_EQ(*back, event);
    }
  }
  const auto bytes = serialize_telephone_event({5, false, 10, 160});
  ASSERT_TRUE(bytes);
  EXPECT_EQ(Bytes(bytes->begin(), bytes->end()), (Bytes{0x05, 0x0a, 0x00, 0xa0}));
}

TEST(TelephoneEvent, RefusesShortPayloadsAndUnrepresentableVolume) {
  EXPECT_EQ(parse_telephone_event(Bytes{}).error(), TelephoneEventError::TooShort);
  EXPECT_EQ(parse_telephone_event(Bytes{1, 2, 3}).error(), TelephoneEventError::TooShort);
  EXPECT_EQ(serialize_telephone_event({1, false, 64, 0}).error(), TelephoneEventError::BadVolume);
  // Trailing bytes (a second event, RFC 4733 2.5.1.5) do not change the first.
  auto event = parse_telephone_event(Bytes{0x01, 0x0a, 0x00, 0xa0, 0x02, 0x8a, 0x01, 0x00});
  ASSERT_TRUE(event);
  EXPECT_EQ(event->event, 1);
  EXPECT_FALSE(event->end);
}

TEST(TelephoneEvent, MapsEventsToDigits) {
  const std::string_view digits = "0123456789*#ABCDF";
  for (int code = 0; code <= 16; ++code) {
    EXPECT_EQ(digit_for_event(code), digits[static_cast<std::size_t>(code)]);
    EXPECT_EQ(event_for_digit(digits[static_cast<std::size_t>(code)]), code);
  }
  EXPECT_EQ(event_for_digit('a'), 12);
  EXPECT_EQ(event_for_digit('f'), 16);
  for (int code : {-1, 17, 32, 255, 256, 100000}) EXPECT_FALSE(digit_for_event(code)) << code;
  for (char c : {'E', 'x', ' ', '\0', '!'}) EXPECT_FALSE(event_for_digit(c)) << int{c};
}

}  // namespace
}  // namespace kolokol::media
