#include "media/dsp/telephone_event_receiver.h"

#include <gtest/gtest.h>

#include <vector>

#include "media/dsp/telephone_event_sender.h"

namespace kolokol::media {
namespace {

using Bytes = std::array<std::uint8_t, 4>;

Bytes payload(std::uint8_t event, bool end, std::uint16_t duration) {
  return *serialize_telephone_event({event, end, 10, duration});
}

struct Feed {
  TelephoneEventReceiver receiver{8000};
  std::vector<DigitNotice> notices;

  void packet(std::uint32_t timestamp, bool marker, const Bytes& bytes, std::int64_t arrival) {
    auto result = receiver.on_packet({timestamp, marker, bytes, arrival}, notices);
    ASSERT_TRUE(result) << telephone_event_error_name(result.error());
  }
};

TEST(TelephoneEventReceiver, OneDigitFromARealisticPacketStream) {
  Feed feed;
  const std::uint32_t ts = 0xfffff000;  // wraps during the next press
  feed.packet(ts, true, payload(5, false, 160), 1000);
  ASSERT_EQ(feed.notices.size(), 1u);
  EXPECT_EQ(feed.notices[0].phase, DigitPhase::Began);
  EXPECT_EQ(feed.notices[0].event, (DigitEvent{'5', 1000, 0, DigitSource::Rfc4733}));

  feed.packet(ts, true, payload(5, false, 160), 1001);   // duplicate of the first
  feed.packet(ts, false, payload(5, false, 480), 1040);  // arrives before the 320 update
  feed.packet(ts, false, payload(5, false, 320), 1041);
  feed.packet(ts, false, payload(5, false, 640), 1060);
  ASSERT_EQ(feed.notices.size(), 1u);

  feed.packet(ts, false, payload(5, true, 800), 1080);
  feed.packet(ts, false, payload(5, false, 640), 1082);  // late update after the end
  feed.packet(ts, false, payload(5, true, 800), 1100);
  feed.packet(ts, false, payload(5, true, 800), 1120);
  ASSERT_EQ(feed.notices.size(), 2u);
  EXPECT_EQ(feed.notices[1].phase, DigitPhase::Ended);
  EXPECT_EQ(feed.notices[1].event, (DigitEvent{'5', 1000, 100, DigitSource::Rfc4733}));
  EXPECT_FALSE(feed.receiver.next_deadline_ms());
  EXPECT_EQ(feed.receiver.on_tick(5000, feed.notices), 0u);

  // The same key again is a new press: a new timestamp, across the 32-bit wrap.
  feed.packet(ts + 2400, true, payload(5, false, 160), 1400);
  feed.packet(ts + 2400, false, payload(5, true, 320), 1420);
  ASSERT_EQ(feed.notices.size(), 4u);
  EXPECT_EQ(feed.notices[3].event.duration_ms, 40u);
  // A straggler from the first press is not a third one.
  feed.packet(ts, false, payload(5, true, 800), 1430);
  EXPECT_EQ(feed.notices.size(), 4u);
}

TEST(TelephoneEventReceiver, LostStartStillGivesOneDigit) {
  Feed feed;
  feed.packet(8000, false, payload(11, true, 1600), 2000);
  feed.packet(8000, false, payload(11, true, 1600), 2020);
  feed.packet(8000, false, payload(11, true, 1600), 2040);
  ASSERT_EQ(feed.notices.size(), 2u);
  EXPECT_EQ(feed.notices[0].phase, DigitPhase::Began);
  EXPECT_EQ(feed.notices[1].event, (DigitEvent{'#', 1800, 200, DigitSource::Rfc4733}));
}

TEST(TelephoneEventReceiver, LostEndIsEndedByTheTimeout) {
  Feed feed;
  feed.packet(100, true, payload(16, false, 400), 1000);
  feed.packet(100, false, payload(16, false, 800), 1050);
  EXPECT_EQ(feed.receiver.next_deadline_ms(), 1050 + TelephoneEventReceiver::kDefaultEndTimeoutMs);
  EXPECT_EQ(feed.receiver.on_tick(1500, feed.notices), 0u);
  EXPECT_EQ(feed.receiver.on_tick(1550, feed.notices), 1u);
  ASSERT_EQ(feed.notices.size(), 2u);
  EXPECT_EQ(feed.notices[1].event, (DigitEvent{'F', 1000, 100, DigitSource::Rfc4733}));
  // Its end packets turning up after all change nothing.
  feed.packet(100, false, payload(16, true, 1200), 1600);
  EXPECT_EQ(feed.notices.size(), 2u);
}

TEST(TelephoneEventReceiver, NewPressEndsOneWhoseEndWasLost) {
  Feed feed;
  feed.packet(100, true, payload(1, false, 160), 1000);
  feed.packet(100, false, payload(1, false, 480), 1040);
  feed.packet(2000, true, payload(2, false, 160), 1300);
  ASSERT_EQ(feed.notices.size(), 3u);
  EXPECT_EQ(feed.notices[1].phase, DigitPhase::Ended);
  EXPECT_EQ(feed.notices[1].event.digit, '1');
  EXPECT_EQ(feed.notices[1].event.duration_ms, 60u);
  EXPECT_EQ(feed.notices[2].phase, DigitPhase::Began);
  EXPECT_EQ(feed.notices[2].event.digit, '2');
}

TEST(TelephoneEventReceiver, RefusesGarbageAndIgnoresNonDigitEvents) {
  Feed feed;
  const std::array<std::uint8_t, 3> short_payload = {5, 0x80, 0};
  auto result = feed.receiver.on_packet({1, true, short_payload, 0}, feed.notices);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), TelephoneEventError::TooShort);
  result = feed.receiver.on_packet({1, true, std::span<const std::uint8_t>(), 0}, feed.notices);
  EXPECT_FALSE(result);
  feed.packet(50, true, payload(32, false, 160), 0);  // ANS fax tone: not a digit
  feed.packet(50, false, payload(32, true, 320), 20);
  feed.packet(60, true, payload(255, true, 320), 20);
  EXPECT_TRUE(feed.notices.empty());
  EXPECT_FALSE(feed.receiver.next_deadline_ms());
}

std::vector<DigitNotice> send_and_receive(const TelephoneEventSenderConfig& config, char digit,
                                          std::uint32_t duration_ms, std::uint32_t timestamp) {
  auto sender = TelephoneEventSender::create(config);
  EXPECT_TRUE(sender);
  auto packets = sender->packets(digit, duration_ms);
  EXPECT_TRUE(packets);
  TelephoneEventReceiver receiver(config.clock_rate);
  std::vector<DigitNotice> notices;
  for (const PlannedTelephoneEvent& packet : *packets) {
    EXPECT_TRUE(receiver.on_packet({timestamp + packet.timestamp_offset, packet.marker,
                                    packet.payload, 10'000 + packet.send_offset_ms},
                                   notices));
  }
  return notices;
}

TEST(TelephoneEventReceiver, GetsBackWhatTheSenderSent) {
  for (std::uint32_t interval : {20u, 50u}) {
    for (std::uint32_t clock : {8000u, 16000u, 48000u}) {
      for (char digit : std::string_view("0123456789*#ABCDF")) {
        const auto notices = send_and_receive({clock, interval, 10}, digit, 130, 0x7fffff00);
        ASSERT_EQ(notices.size(), 2u) << digit;
        EXPECT_EQ(notices[1].event.digit, digit);
        EXPECT_EQ(notices[1].event.duration_ms, 130u);
        EXPECT_EQ(notices[1].event.start_ms, 10'000);
      }
    }
  }
}

TEST(TelephoneEventReceiver, LongPressSpansSegments) {
  // 20 s at 8 kHz is 160,000 units: three segments of the 16-bit duration.
  const auto notices = send_and_receive({8000, 50, 10}, '0', 20'000, 0xffff0000);
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].phase, DigitPhase::Began);
  EXPECT_EQ(notices[1].event.digit, '0');
  EXPECT_EQ(notices[1].event.duration_ms, 20'000u);
}

}  // namespace
}  // namespace kolokol::media
