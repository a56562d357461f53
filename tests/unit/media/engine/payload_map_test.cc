#include "media/engine/payload_map.h"

#include <gtest/gtest.h>

#include <vector>

namespace kolokol::media {
namespace {

// A typical offer: static types with and without a=rtpmap, opus, two event clocks, CN and a
// codec we do not implement.
PayloadMap typical_map() {
  const std::vector<PayloadFormat> formats = {
      {.payload_type = 0},
      {.payload_type = 8, .encoding_name = "PCMA", .clock_rate = 8000},
      {.payload_type = 9, .encoding_name = "g722", .clock_rate = 8000},
      {.payload_type = 111,
       .encoding_name = "opus",
       .clock_rate = 48000,
       .channels = 2,
       .fmtp = "minptime=10;useinbandfec=1"},
      {.payload_type = 97, .encoding_name = "iLBC", .clock_rate = 8000, .fmtp = "mode=30"},
      {.payload_type = 101, .encoding_name = "telephone-event", .clock_rate = 8000, .fmtp = "0-16"},
      {.payload_type = 110, .encoding_name = "Telephone-Event", .clock_rate = 48000},
      {.payload_type = 13, .encoding_name = "CN", .clock_rate = 8000},
  };
  return PayloadMap::from_formats(formats);
}

TEST(PayloadMap, LooksUpCodecsByPayloadType) {
  const PayloadMap map = typical_map();
  EXPECT_EQ(map.audio_codec(0), CodecId::Pcmu);
  EXPECT_EQ(map.audio_codec(8), CodecId::Pcma);
  EXPECT_EQ(map.audio_codec(9), CodecId::G722);
  EXPECT_EQ(map.audio_codec(111), CodecId::Opus);
  EXPECT_EQ(map.meaning(111).clock_rate, 48000u);
  EXPECT_EQ(map.meaning(9).clock_rate, 8000u);  // G.722's historical RTP clock
  EXPECT_EQ(map.meaning(0).kind, PayloadKind::Audio);
}

TEST(PayloadMap, TelephoneEventsKeepTheirClockRate) {
  const PayloadMap map = typical_map();
  EXPECT_EQ(map.telephone_event_rate(101), 8000u);
  EXPECT_EQ(map.telephone_event_rate(110), 48000u);
  EXPECT_FALSE(map.audio_codec(101));
  EXPECT_FALSE(map.telephone_event_rate(0));
  EXPECT_EQ(map.meaning(13).kind, PayloadKind::ComfortNoise);
}

TEST(PayloadMap, WhatWasNotNegotiatedIsUnknown) {
  const PayloadMap map = typical_map();
  EXPECT_EQ(map.meaning(97).kind, PayloadKind::Unknown);  // iLBC: not implemented
  EXPECT_EQ(map.meaning(18).kind, PayloadKind::Unknown);  // G.729 exists but was not offered
  EXPECT_EQ(map.meaning(127).kind, PayloadKind::Unknown);
  EXPECT_EQ(map.meaning(200).kind, PayloadKind::Unknown);  // not a 7-bit payload type
  EXPECT_FALSE(map.audio_codec(255));
}

TEST(PayloadMap, RefusesFormatsItCannotUse) {
  PayloadMap map;
  auto too_big = map.add({.payload_type = 128, .encoding_name = "PCMU", .clock_rate = 8000});
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error(), PayloadMapError::BadPayloadType);

  auto stereo =
      map.add({.payload_type = 96, .encoding_name = "PCMU", .clock_rate = 8000, .channels = 2});
  ASSERT_FALSE(stereo);
  EXPECT_EQ(stereo.error(), PayloadMapError::BadChannels);

  auto wrong_clock = map.add({.payload_type = 96, .encoding_name = "opus", .clock_rate = 16000});
  ASSERT_FALSE(wrong_clock);
  EXPECT_EQ(wrong_clock.error(), PayloadMapError::UnknownEncoding);

  auto unknown_static = map.add({.payload_type = 34});  // H.263: not audio we decode
  ASSERT_FALSE(unknown_static);
  EXPECT_EQ(unknown_static.error(), PayloadMapError::UnknownEncoding);

  for (int pt = 0; pt < 128; ++pt) {
    EXPECT_EQ(map.meaning(static_cast<std::uint8_t>(pt)).kind, PayloadKind::Unknown) << pt;
  }
}

TEST(PayloadMap, OpusWithoutChannelsAndARedefinedTypeAreAccepted) {
  PayloadMap map;
  ASSERT_TRUE(map.add({.payload_type = 96, .encoding_name = "OPUS", .clock_rate = 48000}));
  EXPECT_EQ(map.audio_codec(96), CodecId::Opus);
  // A re-INVITE may give the same number another meaning.
  auto again = map.add({.payload_type = 96, .encoding_name = "telephone-event"});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->kind, PayloadKind::TelephoneEvent);
  EXPECT_EQ(map.telephone_event_rate(96), 8000u);  // no clock rate given: RFC 4733's 8000
  EXPECT_FALSE(map.audio_codec(96));
}

}  // namespace
}  // namespace kolokol::media
