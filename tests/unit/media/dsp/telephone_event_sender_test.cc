#include "media/dsp/telephone_event_sender.h"

#include <gtest/gtest.h>

namespace kolokol::media {
namespace {

TelephoneEvent decode(const PlannedTelephoneEvent& packet) {
  return *parse_telephone_event(packet.payload);
}

TEST(TelephoneEventSender, MarkerUpdatesAndThreeEnds) {
  auto sender = TelephoneEventSender::create({8000, 50, 10});
  ASSERT_TRUE(sender);
  auto packets = sender->packets('9', 200);  // 1600 units, updates every 400
  ASSERT_TRUE(packets);
  ASSERT_EQ(packets->size(), 6u);
  const std::uint16_t durations[] = {400, 800, 1200, 1600, 1600, 1600};
  const std::uint32_t sent_at[] = {0, 50, 100, 150, 200, 250};
  for (std::size_t i = 0; i < packets->size(); ++i) {
    const auto& packet = (*packets)[i];
    const TelephoneEvent event = decode(packet);
    EXPECT_EQ(packet.marker, i == 0) << i;
    EXPECT_EQ(packet.timestamp_offset, 0u);
    EXPECT_EQ(packet.send_offset_ms, sent_at[i]) << i;
    EXPECT_EQ(event.event, 9);
    EXPECT_EQ(event.volume, 10);
    EXPECT_EQ(event.duration, durations[i]) << i;
    EXPECT_EQ(event.end, i >= 3) << i;
  }
}

TEST(TelephoneEventSender, TwentyMillisecondUpdatesAndAnUnevenDuration) {
  auto sender = TelephoneEventSender::create({8000, 20, 0});
  ASSERT_TRUE(sender);
  auto packets = sender->packets('*', 70);  // 560 units: 160, 320, 480, then 560 three times
  ASSERT_TRUE(packets);
  ASSERT_EQ(packets->size(), 6u);
  EXPECT_EQ(decode((*packets)[2]).duration, 480);
  EXPECT_FALSE(decode((*packets)[2]).end);
  EXPECT_EQ(decode((*packets)[3]).duration, 560);
  EXPECT_TRUE(decode((*packets)[5]).end);
  EXPECT_EQ((*packets)[5].send_offset_ms, 100u);
  // Shorter than one interval: the first packet is already the end, marked.
  auto tiny = sender->packets('1', 5);
  ASSERT_TRUE(tiny);
  ASSERT_EQ(tiny->size(), 3u);
  EXPECT_TRUE((*tiny)[0].marker);
  EXPECT_FALSE((*tiny)[1].marker);
  EXPECT_TRUE(decode((*tiny)[0]).end);
  EXPECT_EQ(decode((*tiny)[0]).duration, 40);
}

TEST(TelephoneEventSender, LongPressIsSplitIntoSegments) {
  auto sender = TelephoneEventSender::create({8000, 50, 10});
  ASSERT_TRUE(sender);
  auto packets = sender->packets('5', 20'000);  // 160,000 units
  ASSERT_TRUE(packets);
  std::vector<std::uint32_t> offsets;
  std::uint64_t covered = 0;
  for (const auto& packet : *packets) {
    const TelephoneEvent event = decode(packet);
    if (offsets.empty() || offsets.back() != packet.timestamp_offset) {
      offsets.push_back(packet.timestamp_offset);
    }
    EXPECT_TRUE(event.end || event.duration <= 0xffff);
    if (event.duration == 0xffff) {
      EXPECT_FALSE(event.end);
    }
    covered = std::max<std::uint64_t>(covered, packet.timestamp_offset + event.duration);
  }
  EXPECT_EQ(offsets, (std::vector<std::uint32_t>{0, 0xffff, 2 * 0xffff}));
  EXPECT_EQ(covered, 160'000u);
  EXPECT_EQ(std::count_if(packets->begin(), packets->end(), [](const auto& p) { return p.marker; }),
            1);
  EXPECT_EQ(
      std::count_if(packets->begin(), packets->end(), [](const auto& p) { return decode(p).end; }),
      3);
}

TEST(TelephoneEventSender, RefusesWhatItCannotSend) {
  EXPECT_EQ(TelephoneEventSender::create({0, 50, 10}).error(),
            TelephoneEventSenderError::BadClockRate);
  EXPECT_EQ(TelephoneEventSender::create({8000, 5, 10}).error(),
            TelephoneEventSenderError::BadInterval);
  EXPECT_EQ(TelephoneEventSender::create({8000, 50, 64}).error(),
            TelephoneEventSenderError::BadVolume);
  auto sender = TelephoneEventSender::create({});
  ASSERT_TRUE(sender);
  EXPECT_EQ(sender->packets('x', 100).error(), TelephoneEventSenderError::NotADigit);
  EXPECT_EQ(sender->packets('5', 0).error(), TelephoneEventSenderError::BadDuration);
  EXPECT_EQ(sender->packets('5', 60'001).error(), TelephoneEventSenderError::BadDuration);
}

}  // namespace
}  // namespace kolokol::media
