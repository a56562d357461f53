#include "media/engine/digit_tap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "media/codec/codec_factory.h"
#include "media/dsp/dtmf_generator.h"
#include "media/dsp/telephone_event.h"

namespace kolokol::media {
namespace {

constexpr std::uint8_t kPcmuType = 0;
constexpr std::uint8_t kOpusType = 111;
constexpr std::uint8_t kEventType = 101;

PayloadMap leg_map() {
  const std::vector<PayloadFormat> formats = {
      {.payload_type = kPcmuType},
      {.payload_type = kOpusType, .encoding_name = "opus", .clock_rate = 48000, .channels = 2},
      {.payload_type = kEventType, .encoding_name = "telephone-event", .clock_rate = 8000},
  };
  return PayloadMap::from_formats(formats);
}

// One packet as a leg sent it, owning its payload.
struct Sent {
  std::int64_t arrival_ms = 0;
  std::uint8_t payload_type = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  bool marker = false;
  std::vector<std::uint8_t> payload;

  RtpPacket packet() const {
    RtpPacket out;
    out.payload_type = payload_type;
    out.sequence = sequence;
    out.timestamp = timestamp;
    out.marker = marker;
    out.ssrc = 0x1234;
    out.payload = payload;
    return out;
  }
};

// Feeds packets in arrival order, ticking every 20 ms of the worker clock in between.
std::vector<DigitNotice> run(DigitTap& tap, std::vector<Sent> packets, std::int64_t end_ms) {
  std::ranges::stable_sort(packets, {}, &Sent::arrival_ms);
  const PayloadMap map = leg_map();
  std::vector<DigitNotice> notices;
  std::size_t next = 0;
  for (std::int64_t now = 0; now <= end_ms; now += 20) {
    while (next < packets.size() && packets[next].arrival_ms <= now) {
      tap.on_packet(packets[next].packet(), packets[next].arrival_ms, map, notices);
      ++next;
    }
    tap.on_tick(now, notices);
  }
  return notices;
}

// Tones for `digits` at `rate` after `lead_ms` of silence, encoded with `codec` into 20 ms
// packets that arrive as they are completed (packet i at (i + 1) * 20 ms).
std::vector<Sent> inband_packets(CodecId codec, std::uint8_t payload_type, std::uint32_t rate,
                                 std::string_view digits, std::uint32_t lead_ms,
                                 std::uint32_t total_ms, std::uint16_t first_sequence = 100) {
  DtmfGeneratorConfig config;
  config.sample_rate = static_cast<int>(rate);
  auto generator = DtmfGenerator::create(config);
  EXPECT_TRUE(generator);
  CodecOptions options;
  options.opus.sample_rate = rate;
  auto encoder = make_encoder(codec, options);
  EXPECT_TRUE(encoder);

  const std::size_t frame = rate / 50;
  const std::uint32_t clock_step = codec_info(codec).clock_rate / 50;
  std::vector<std::int16_t> pcm(frame);
  std::vector<std::uint8_t> payload((*encoder)->max_payload_size(frame));
  std::vector<Sent> out;
  for (std::uint32_t i = 0; i < total_ms / 20; ++i) {
    if (i * 20 == lead_ms) {
      EXPECT_TRUE(generator->queue(digits));
    }
    generator->generate(pcm);
    auto size = (*encoder)->encode(pcm, payload);
    EXPECT_TRUE(size);
    out.push_back({.arrival_ms = (i + 1) * 20,
                   .payload_type = payload_type,
                   .sequence = static_cast<std::uint16_t>(first_sequence + i),
                   .timestamp = 5000 + i * clock_step,
                   .marker = i == 0,
                   .payload = {payload.begin(), payload.begin() + *size}});
  }
  return out;
}

// RFC 4733 packets for one press of `digit` starting at `start_ms` for `duration_ms`: an update
// every 50 ms, then the end packet three times.
void add_event_press(std::vector<Sent>& out, char digit, std::int64_t start_ms,
                     std::uint32_t duration_ms, std::uint16_t& sequence) {
  const auto timestamp = static_cast<std::uint32_t>(start_ms * 8);
  auto packet_for = [&](std::uint32_t elapsed_ms, bool end, bool marker) {
    TelephoneEvent event;
    event.event = *event_for_digit(digit);
    event.end = end;
    event.duration = static_cast<std::uint16_t>(elapsed_ms * 8);
    auto bytes = serialize_telephone_event(event);
    EXPECT_TRUE(bytes);
    out.push_back({.arrival_ms = start_ms + elapsed_ms,
                   .payload_type = kEventType,
                   .sequence = sequence++,
                   .timestamp = timestamp,
                   .marker = marker,
                   .payload = {bytes->begin(), bytes->end()}});
  };
  packet_for(0, false, true);
  for (std::uint32_t elapsed = 50; elapsed < duration_ms; elapsed += 50) {
    packet_for(elapsed, false, false);
  }
  for (int i = 0; i < 3; ++i) packet_for(duration_ms, true, false);
}

std::string ended_digits(const std::vector<DigitNotice>& notices) {
  std::string digits;
  for (const DigitNotice& notice : notices) {
    if (notice.phase == DigitPhase::Ended) digits += notice.event.digit;
  }
  return digits;
}

// Began and Ended alternate, each Ended matching the Began before it.
void expect_well_formed(const std::vector<DigitNotice>& notices) {
  ASSERT_EQ(notices.size() % 2, 0u);
  for (std::size_t i = 0; i < notices.size(); i += 2) {
    EXPECT_EQ(notices[i].phase, DigitPhase::Began) << i;
    EXPECT_EQ(notices[i + 1].phase, DigitPhase::Ended) << i;
    EXPECT_EQ(notices[i].event.digit, notices[i + 1].event.digit) << i;
    EXPECT_EQ(notices[i].event.start_ms, notices[i + 1].event.start_ms) << i;
    EXPECT_EQ(notices[i].event.source, notices[i + 1].event.source) << i;
  }
}

TEST(DigitTap, TelephoneEventsGiveDigitsWithDurations) {
  std::vector<Sent> packets;
  std::uint16_t sequence = 1;
  add_event_press(packets, '1', 200, 120, sequence);
  add_event_press(packets, '#', 600, 240, sequence);
  DigitTap tap;
  const auto notices = run(tap, packets, 1500);

  expect_well_formed(notices);
  ASSERT_EQ(ended_digits(notices), "1#");
  EXPECT_EQ(notices[1].event.source, DigitSource::Rfc4733);
  EXPECT_EQ(notices[1].event.start_ms, 200);
  EXPECT_EQ(notices[1].event.duration_ms, 120u);
  EXPECT_EQ(notices[3].event.start_ms, 600);
  EXPECT_EQ(notices[3].event.duration_ms, 240u);
  EXPECT_EQ(tap.stats().duplicates_dropped, 0u);
}

TEST(DigitTap, APressWhoseEndIsLostIsEndedByTheTick) {
  std::vector<Sent> packets;
  std::uint16_t sequence = 1;
  add_event_press(packets, '7', 100, 200, sequence);
  packets.resize(packets.size() - 3);  // every end packet lost
  DigitTap tap;
  const auto notices = run(tap, packets, 1000);
  expect_well_formed(notices);
  EXPECT_EQ(ended_digits(notices), "7");
}

TEST(DigitTap, TonesInPcmuAreFoundInBand) {
  const auto packets = inband_packets(CodecId::Pcmu, kPcmuType, 8000, "159#", 100, 1400);
  DigitTap tap;
  const auto notices = run(tap, packets, 1500);

  expect_well_formed(notices);
  ASSERT_EQ(ended_digits(notices), "159#");
  for (std::size_t i = 1; i < notices.size(); i += 2) {
    const DigitEvent& event = notices[i].event;
    EXPECT_EQ(event.source, DigitSource::Inband);
    EXPECT_NEAR(event.duration_ms, 100, 20) << event.digit;
    // Digit k starts at 100 + 200 k ms of audio; packets arrive as they end, so the worker's
    // clock agrees with stream time here.
    EXPECT_NEAR(static_cast<double>(event.start_ms), 100 + 200 * (i / 2), 20) << event.digit;
  }
}

TEST(DigitTap, InBandDetectionCanBeTurnedOff) {
  const auto packets = inband_packets(CodecId::Pcmu, kPcmuType, 8000, "159#", 100, 1400);
  DigitTap tap(DigitTapConfig{.inband = false});
  EXPECT_TRUE(run(tap, packets, 1500).empty());
}

TEST(DigitTap, TonesInOpusAt48kHzAreFoundDecodedAt8kOr48k) {
  const auto packets = inband_packets(CodecId::Opus, kOpusType, 48000, "2580", 100, 1200);
  for (std::uint32_t decode_rate : {8000u, 48000u}) {  // 48 kHz goes through the resampler
    DigitTapConfig config;
    config.codec_options.opus.sample_rate = decode_rate;
    DigitTap tap(config);
    const auto notices = run(tap, packets, 1300);
    expect_well_formed(notices);
    EXPECT_EQ(ended_digits(notices), "2580") << decode_rate;
    for (std::size_t i = 1; i < notices.size(); i += 2) {
      EXPECT_NEAR(notices[i].event.duration_ms, 100, 25) << decode_rate;
    }
    EXPECT_EQ(tap.stats().undecodable, 0u);
  }
}

TEST(DigitTap, AKeySentBothWaysGivesOneDigit) {
  // '5' as tones in the audio (100-200 ms of stream time) and as RFC 4733 events at the same
  // time; then '5' again and '7' only in-band, far enough apart to be presses of their own.
  auto packets = inband_packets(CodecId::Pcmu, kPcmuType, 8000, "557", 100, 1000);
  std::uint16_t sequence = 2000;
  add_event_press(packets, '5', 100, 100, sequence);
  DigitTap tap;
  const auto notices = run(tap, packets, 1200);

  expect_well_formed(notices);
  ASSERT_EQ(ended_digits(notices), "557");
  EXPECT_EQ(notices[1].event.source, DigitSource::Rfc4733);  // the events came first
  EXPECT_EQ(notices[3].event.source, DigitSource::Inband);
  EXPECT_EQ(notices[5].event.source, DigitSource::Inband);
  EXPECT_EQ(tap.stats().duplicates_dropped, 1u);
}

TEST(DigitTap, TonesFirstThenEventsForTheSameKeyGiveOneDigit) {
  // The event packets are late (a phone that starts them after its tone): the tone wins.
  auto packets = inband_packets(CodecId::Pcmu, kPcmuType, 8000, "8", 100, 600);
  std::uint16_t sequence = 2000;
  add_event_press(packets, '8', 170, 60, sequence);
  DigitTap tap;
  const auto notices = run(tap, packets, 800);
  expect_well_formed(notices);
  ASSERT_EQ(ended_digits(notices), "8");
  EXPECT_EQ(notices[1].event.source, DigitSource::Inband);
  EXPECT_EQ(tap.stats().duplicates_dropped, 1u);
}

TEST(DigitTap, HostilePacketsAreCountedAndChangeNothing) {
  const PayloadMap map = leg_map();
  DigitTap tap;
  std::vector<DigitNotice> notices;
  const std::vector<std::uint8_t> short_event = {0x05, 0x80};
  const std::vector<std::uint8_t> garbage = {0xff, 0x00, 0x13, 0x37, 0x42};
  RtpPacket packet;
  packet.payload_type = kEventType;
  packet.payload = short_event;
  tap.on_packet(packet, 10, map, notices);
  packet.payload_type = kPcmuType;
  packet.payload = {};
  tap.on_packet(packet, 20, map, notices);
  packet.payload_type = kOpusType;
  packet.payload = garbage;
  tap.on_packet(packet, 30, map, notices);
  packet.payload_type = 77;
  tap.on_packet(packet, 40, map, notices);
  tap.on_tick(2000, notices);

  EXPECT_TRUE(notices.empty());
  EXPECT_EQ(tap.stats().bad_event_payload, 1u);
  EXPECT_EQ(tap.stats().undecodable, 2u);
  EXPECT_EQ(tap.stats().unknown_payload_type, 1u);

  // Still works afterwards.
  const auto good = run(tap, inband_packets(CodecId::Pcmu, kPcmuType, 8000, "3", 100, 500), 600);
  EXPECT_EQ(ended_digits(good), "3");
}

}  // namespace
}  // namespace kolokol::media
