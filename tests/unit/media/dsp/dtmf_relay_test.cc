#include "media/dsp/dtmf_relay.h"

#include <gtest/gtest.h>

namespace kolokol::media {
namespace {

TEST(DtmfRelay, ParsesWhatPhonesSend) {
  auto relay = parse_dtmf_relay("Signal=5\r\nDuration=160\r\n");
  ASSERT_TRUE(relay) << dtmf_relay_error_name(relay.error());
  EXPECT_EQ(*relay, (DtmfRelay{'5', 160}));
  relay = parse_dtmf_relay("signal = *\nDURATION= 250");
  ASSERT_TRUE(relay);
  EXPECT_EQ(*relay, (DtmfRelay{'*', 250}));
  relay = parse_dtmf_relay("Signal= d\r\n");
  ASSERT_TRUE(relay);
  EXPECT_EQ(*relay, (DtmfRelay{'D', std::nullopt}));
  relay = parse_dtmf_relay("Volume=10\r\nSignal=11\r\nDuration=100\r\n");  // event number for #
  ASSERT_TRUE(relay);
  EXPECT_EQ(relay->signal, '#');
  EXPECT_EQ(parse_dtmf_relay("Signal=!\r\n")->signal, 'F');
  EXPECT_EQ(parse_dtmf_relay("Signal=16\r\n")->signal, 'F');
}

TEST(DtmfRelay, FormatsAndRoundTrips) {
  EXPECT_EQ(format_dtmf_relay({'5', 160}), "Signal=5\r\nDuration=160\r\n");
  EXPECT_EQ(format_dtmf_relay({'#', std::nullopt}), "Signal=#\r\n");
  for (char digit : std::string_view("0123456789*#ABCDF")) {
    const DtmfRelay relay{digit, 100};
    auto back = parse_dtmf_relay(format_dtmf_relay(relay));
    ASSERT_TRUE(back) << digit;
    EXPECT_EQ(*back, relay);
    auto single = parse_dtmf_body(format_dtmf_body(digit));
    ASSERT_TRUE(single) << digit;
    EXPECT_EQ(*single, digit);
  }
}

TEST(DtmfRelay, RefusesHostileBodies) {
  EXPECT_EQ(parse_dtmf_relay("").error(), DtmfRelayError::MissingSignal);
  EXPECT_EQ(parse_dtmf_relay("Duration=160\r\n").error(), DtmfRelayError::MissingSignal);
  EXPECT_EQ(parse_dtmf_relay("Signal\r\n5\r\n").error(), DtmfRelayError::MissingSignal);
  EXPECT_EQ(parse_dtmf_relay("Signal=\r\n").error(), DtmfRelayError::BadSignal);
  EXPECT_EQ(parse_dtmf_relay("Signal=55\r\n").error(), DtmfRelayError::BadSignal);
  EXPECT_EQ(parse_dtmf_relay("Signal=x\r\n").error(), DtmfRelayError::BadSignal);
  EXPECT_EQ(parse_dtmf_relay("Signal=1\r\nSignal=2\r\n").error(), DtmfRelayError::BadSignal);
  EXPECT_EQ(parse_dtmf_relay("Signal=5\r\nDuration=abc\r\n").error(), DtmfRelayError::BadDuration);
  EXPECT_EQ(parse_dtmf_relay("Signal=5\r\nDuration=-5\r\n").error(), DtmfRelayError::BadDuration);
  EXPECT_EQ(parse_dtmf_relay("Signal=5\r\nDuration=\r\n").error(), DtmfRelayError::BadDuration);
  EXPECT_EQ(parse_dtmf_relay("Signal=5\r\nDuration=99999999999999999999\r\n").error(),
            DtmfRelayError::BadDuration);
  EXPECT_EQ(parse_dtmf_relay("Signal=5\r\nDuration=4294967296\r\n").error(),
            DtmfRelayError::BadDuration);
  EXPECT_EQ(parse_dtmf_relay("Signal=5\r\nDuration=60001\r\n").error(),
            DtmfRelayError::BadDuration);
  EXPECT_EQ(parse_dtmf_relay("Signal=5\r\nDuration=1\r\nDuration=2\r\n").error(),
            DtmfRelayError::BadDuration);
  EXPECT_EQ(parse_dtmf_relay(std::string(2000, 'a')).error(), DtmfRelayError::TooLong);
  const std::string with_nul("Signal=5\0\r\n", 11);
  EXPECT_EQ(parse_dtmf_relay(with_nul).error(), DtmfRelayError::BadSignal);
}

TEST(DtmfBody, SingleDigit) {
  EXPECT_EQ(*parse_dtmf_body("5"), '5');
  EXPECT_EQ(*parse_dtmf_body(" b\r\n"), 'B');
  EXPECT_EQ(*parse_dtmf_body("10"), '*');
  EXPECT_EQ(parse_dtmf_body("").error(), DtmfRelayError::MissingSignal);
  EXPECT_EQ(parse_dtmf_body("  \r\n").error(), DtmfRelayError::MissingSignal);
  EXPECT_EQ(parse_dtmf_body("55").error(), DtmfRelayError::BadSignal);
  EXPECT_EQ(parse_dtmf_body("5 6").error(), DtmfRelayError::BadSignal);
  EXPECT_EQ(parse_dtmf_body("Signal=5").error(), DtmfRelayError::BadSignal);
}

}  // namespace
}  // namespace kolokol::media
