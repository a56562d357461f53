#include "media/rtp/jitter_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace kolokol::media {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr std::int64_t kFrameUs = 20'000;

// One packet on the wire: its header, when it arrives, and which frame of the talk it carries
// (written into the payload so that what comes out can be checked).
struct Sent {
  std::uint32_t ssrc = 0x1234;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  bool marker = false;
  std::int64_t arrival_us = 0;
  std::uint32_t index = 0;
  std::size_t payload_size = 4;
};

struct Played {
  PopKind kind;
  std::uint32_t index = 0;  // Frame only
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::int64_t at_us = 0;
};

// A stream of `count` packets of `step` samples starting at the given sequence and timestamp,
// sent every step at 8 kHz, arriving after `delay_us(i)`.
template <typename Delay>
std::vector<Sent> stream(std::uint32_t count, Delay delay_us, std::uint16_t first_sequence = 1000,
                         std::uint32_t first_timestamp = 5000, std::uint32_t step = 160) {
  std::vector<Sent> out;
  for (std::uint32_t i = 0; i < count; ++i) {
    Sent packet;
    packet.sequence = static_cast<std::uint16_t>(first_sequence + i);
    packet.timestamp = first_timestamp + i * step;
    packet.marker = i == 0;
    packet.arrival_us = static_cast<std::int64_t>(i) * step * 125 + delay_us(i);  // 125 us/sample
    packet.index = i;
    out.push_back(packet);
  }
  return out;
}

// Pushes packets as they arrive and pops every 20 ms (several times per tick when
// `pops_per_tick` > 1, as a caller does with packets shorter than the tick).
class Player {
 public:
  explicit Player(JitterBufferConfig config = {}) : buffer_(*JitterBuffer::create(config)) {}

  JitterBuffer& buffer() { return buffer_; }

  std::vector<Played> run(std::vector<Sent> packets, std::int64_t until_us, int pops_per_tick = 1,
                          std::int64_t start_us = 0) {
    std::stable_sort(packets.begin(), packets.end(),
                     [](const Sent& a, const Sent& b) { return a.arrival_us < b.arrival_us; });
    std::vector<Played> played;
    // Packets that arrived before this run's first tick were pushed by the previous run.
    std::size_t next = 0;
    while (next < packets.size() && packets[next].arrival_us <= start_us - kFrameUs) ++next;
    for (std::int64_t now = start_us; now <= until_us; now += kFrameUs) {
      for (; next < packets.size() && packets[next].arrival_us <= now; ++next) {
        outcomes_.push_back(push(packets[next]));
      }
      for (int p = 0; p < pops_per_tick; ++p) {
        const JitterFrame frame = buffer_.pop(microseconds(now));
        EXPECT_LE(buffer_.buffered(), 32u);
        Played entry{frame.kind};
        entry.sequence = frame.sequence;
        entry.timestamp = frame.timestamp;
        entry.at_us = now;
        if (frame.kind == PopKind::Frame) {
          EXPECT_EQ(frame.payload.size(), 4u);
          std::copy(frame.payload.begin(), frame.payload.begin() + 4,
                    reinterpret_cast<std::uint8_t*>(&entry.index));
        }
        played.push_back(entry);
      }
    }
    return played;
  }

  PushOutcome push(const Sent& sent) {
    std::vector<std::uint8_t> payload(sent.payload_size, 0xab);
    std::copy_n(reinterpret_cast<const std::uint8_t*>(&sent.index),
                std::min<std::size_t>(4, payload.size()), payload.begin());
    return buffer_.push({.ssrc = sent.ssrc,
                         .sequence = sent.sequence,
                         .timestamp = sent.timestamp,
                         .marker = sent.marker,
                         .payload = payload},
                        microseconds(sent.arrival_us));
  }

  const std::vector<PushOutcome>& outcomes() const { return outcomes_; }

 private:
  JitterBuffer buffer_;
  std::vector<PushOutcome> outcomes_;
};

std::vector<std::uint32_t> frames(const std::vector<Played>& played) {
  std::vector<std::uint32_t> out;
  for (const Played& p : played) {
    if (p.kind == PopKind::Frame) out.push_back(p.index);
  }
  return out;
}

std::vector<std::uint32_t> iota(std::uint32_t from, std::uint32_t to) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = from; i < to; ++i) out.push_back(i);
  return out;
}

std::size_t count(const std::vector<Played>& played, PopKind kind) {
  return static_cast<std::size_t>(
      std::count_if(played.begin(), played.end(), [&](const Played& p) { return p.kind == kind; }));
}

TEST(JitterBuffer, InOrderStreamPlaysInOrderWithConstantDelay) {
  Player player;
  const auto sent = stream(100, [](std::uint32_t) { return 7'000; });
  const auto played = player.run(sent, 2'400'000);

  EXPECT_EQ(frames(played), iota(0, 100));
  // Between the first and the last frame, every pop plays the next frame, each after the same
  // time in the buffer.
  auto first = std::find_if(played.begin(), played.end(),
                            [](const Played& p) { return p.kind == PopKind::Frame; });
  ASSERT_NE(first, played.end());
  for (std::uint32_t i = 0; i < 100; ++i) {
    const Played& p = *(first + i);
    ASSERT_EQ(p.kind, PopKind::Frame) << i;
    EXPECT_EQ(p.at_us - sent[p.index].arrival_us, first->at_us - sent[0].arrival_us) << i;
  }
  // The initial delay (60 ms) rounded up to the pop grid.
  EXPECT_GE(first->at_us - sent[0].arrival_us, 50'000);
  EXPECT_LE(first->at_us - sent[0].arrival_us, 70'000);
  const JitterBufferStats stats = player.buffer().stats();
  EXPECT_EQ(stats.received, 100u);
  EXPECT_EQ(stats.lost, 0u);
  EXPECT_EQ(stats.late, 0u);
  EXPECT_EQ(stats.reordered, 0u);
  EXPECT_LT(stats.jitter.count(), 1'000);  // the prior has decayed: there is no jitter
}

TEST(JitterBuffer, ReorderingWithinSixtyMillisecondsLosesNothing) {
  std::mt19937 random(42);
  Player player;
  const auto sent =
      stream(500, [&](std::uint32_t) { return static_cast<std::int64_t>(random() % 60'000); });
  const auto played = player.run(sent, 11'000'000);

  EXPECT_EQ(frames(played), iota(0, 500));
  const JitterBufferStats stats = player.buffer().stats();
  EXPECT_EQ(stats.lost, 0u);
  EXPECT_EQ(stats.late, 0u);
  EXPECT_EQ(count(played, PopKind::Lost), 0u);
  EXPECT_GT(stats.reordered, 50u);  // the test did reorder
  EXPECT_GT(stats.jitter.count(), 10'000);
}

TEST(JitterBuffer, OneLostPacketGivesOneLostResultInItsPlace) {
  Player player;
  auto sent = stream(100, [](std::uint32_t) { return 3'000; });
  sent.erase(sent.begin() + 50);
  const auto played = player.run(sent, 2'400'000);

  std::vector<Played> audible;
  for (const Played& p : played) {
    if (p.kind != PopKind::Empty) audible.push_back(p);
  }
  // After the last packet the buffer conceals the underrun for a few pops.
  ASSERT_EQ(audible.size(), 100u + JitterBuffer::kMaxConceal);
  audible.resize(100);
  for (std::uint32_t i = 0; i < 100; ++i) {
    if (i == 50) {
      EXPECT_EQ(audible[i].kind, PopKind::Lost);
      EXPECT_EQ(audible[i].sequence, 1050);
      EXPECT_EQ(audible[i].timestamp, 5000u + 50 * 160);
      // And it comes exactly one interval after frame 49: no gap, no stall.
      EXPECT_EQ(audible[i].at_us - audible[i - 1].at_us, kFrameUs);
    } else {
      EXPECT_EQ(audible[i].kind, PopKind::Frame) << i;
      EXPECT_EQ(audible[i].index, i);
    }
  }
  EXPECT_EQ(player.buffer().stats().lost, 1u);
}

TEST(JitterBuffer, DuplicatesAreIgnored) {
  Player player;
  auto sent = stream(50, [](std::uint32_t) { return 3'000; });
  const std::size_t originals = sent.size();
  for (std::size_t i = 0; i < originals; ++i) {
    Sent copy = sent[i];
    copy.arrival_us += 4'000 + static_cast<std::int64_t>(i % 3) * 30'000;  // some after playing
    sent.push_back(copy);
  }
  const auto played = player.run(sent, 1'500'000);
  EXPECT_EQ(frames(played), iota(0, 50));
  const JitterBufferStats stats = player.buffer().stats();
  EXPECT_EQ(stats.duplicates, 50u);
  EXPECT_EQ(stats.late, 0u);
  EXPECT_EQ(stats.lost, 0u);
}

TEST(JitterBuffer, SequenceAndTimestampWrapAreSeamless) {
  Player player;
  const std::uint32_t first_timestamp = 0xFFFFFFFFu - 160 * 40;  // wraps after packet 40
  const auto sent = stream(
      120, [](std::uint32_t) { return 3'000; }, 65500, first_timestamp);
  const auto played = player.run(sent, 3'000'000);

  EXPECT_EQ(frames(played), iota(0, 120));
  std::uint32_t i = 0;
  for (const Played& p : played) {
    if (p.kind != PopKind::Frame) continue;
    EXPECT_EQ(p.sequence, static_cast<std::uint16_t>(65500 + i));
    EXPECT_EQ(p.timestamp, first_timestamp + i * 160);
    ++i;
  }
  EXPECT_EQ(player.buffer().stats().lost, 0u);
  EXPECT_EQ(player.buffer().stats().resyncs, 0u);
  EXPECT_EQ(count(played, PopKind::Lost), 0u);
}

TEST(JitterBuffer, SsrcChangeFlushesAndRestarts) {
  Player player;
  auto sent = stream(50, [](std::uint32_t) { return 3'000; });
  // A new source takes over at 600 ms: unrelated sequence numbers and timestamps.
  auto second = stream(
      50, [](std::uint32_t) { return 1'203'000; }, 7, 999'999);
  for (Sent& packet : second) {
    packet.ssrc = 0x9999;
    packet.index += 1000;
  }
  sent.insert(sent.end(), second.begin(), second.end());
  const auto played = player.run(sent, 2'400'000);

  const auto got = frames(played);
  // The first source plays until the switch; what it still had buffered is flushed; the new
  // one then plays from its first packet, in order.
  ASSERT_FALSE(got.empty());
  const auto switch_at = std::find(got.begin(), got.end(), 1000u);
  ASSERT_NE(switch_at, got.end());
  EXPECT_EQ(std::vector<std::uint32_t>(got.begin(), switch_at),
            iota(0, static_cast<std::uint32_t>(switch_at - got.begin())));
  EXPECT_GE(switch_at - got.begin(), 25);
  EXPECT_EQ(std::vector<std::uint32_t>(switch_at, got.end()), iota(1000, 1050));
  EXPECT_EQ(player.buffer().stats().resyncs, 1u);
  EXPECT_EQ(count(played, PopKind::Lost), 0u);
  EXPECT_EQ(std::count(player.outcomes().begin(), player.outcomes().end(), PushOutcome::Resynced),
            1);
}

TEST(JitterBuffer, LatePacketIsCountedAndNotPlayed) {
  Player player;
  auto sent = stream(60, [](std::uint32_t i) { return i == 30 ? 300'000 : 3'000; });
  const auto played = player.run(sent, 2'000'000);

  auto expected = iota(0, 60);
  expected.erase(expected.begin() + 30);
  EXPECT_EQ(frames(played), expected);
  EXPECT_EQ(count(played, PopKind::Lost), 1u);
  const JitterBufferStats stats = player.buffer().stats();
  EXPECT_EQ(stats.late, 1u);
  EXPECT_EQ(stats.lost, 1u);
  EXPECT_EQ(std::count(player.outcomes().begin(), player.outcomes().end(), PushOutcome::Late), 1);
}

// Talkspurts of 40 packets separated by 200 ms of silence (DTX: the sequence continues, the
// timestamp jumps), each starting with a marker.
std::vector<Sent> talkspurts(int spurts, std::uint32_t per_spurt,
                             const std::vector<std::int64_t>& max_jitter_us, std::mt19937& random) {
  std::vector<Sent> out;
  std::uint32_t index = 0;
  std::int64_t send_us = 0;
  std::uint32_t timestamp = 1000;
  for (int s = 0; s < spurts; ++s) {
    for (std::uint32_t i = 0; i < per_spurt; ++i) {
      Sent packet;
      packet.sequence = static_cast<std::uint16_t>(index);
      packet.timestamp = timestamp;
      packet.marker = i == 0;
      const std::int64_t jitter = max_jitter_us[static_cast<std::size_t>(s)];
      packet.arrival_us =
          send_us + 5'000 + (jitter > 0 ? static_cast<std::int64_t>(random() % jitter) : 0);
      packet.index = index++;
      out.push_back(packet);
      send_us += kFrameUs;
      timestamp += 160;
    }
    send_us += 200'000;
    timestamp += 1600;
  }
  return out;
}

TEST(JitterBuffer, JitterRaisesTheDelayAndCalmLowersItAtTalkspurtStarts) {
  std::mt19937 random(7);
  Player player;
  const std::vector<std::int64_t> jitter = {0, 0, 100'000, 0, 0, 0, 0};
  const auto sent = talkspurts(7, 40, jitter, random);

  // Run talkspurt by talkspurt (1 s each: 800 ms of speech, 200 ms of silence) and look at the
  // delay in the middle of each.
  std::vector<std::int64_t> delay_at_start, delay_at_end, target;
  std::int64_t now = 0;
  for (int s = 0; s < 7; ++s) {
    const std::int64_t spurt_start = s * 1'000'000;
    player.run(sent, spurt_start + 300'000, 1, now);
    delay_at_start.push_back(player.buffer().stats().current_delay.count());
    player.run(sent, spurt_start + 700'000, 1, spurt_start + 320'000);
    delay_at_end.push_back(player.buffer().stats().current_delay.count());
    target.push_back(player.buffer().stats().target_delay.count());
    now = spurt_start + 720'000;
  }
  // Quiet network: the target falls to the minimum and the second talkspurt plays at it.
  EXPECT_LE(target[1], 25'000);
  EXPECT_LE(delay_at_start[1], 30'000);
  // The jittery talkspurt raises the target; the next talkspurt starts at the higher delay.
  EXPECT_GE(target[2], 70'000);
  EXPECT_GE(delay_at_start[3], 70'000);
  // Within a talkspurt without underruns the delay does not move.
  EXPECT_EQ(delay_at_start[3], delay_at_end[3]);
  // Calm again: a couple of talkspurts later it is back near the minimum.
  EXPECT_LE(delay_at_start[6], 40'000);
  EXPECT_GT(player.buffer().stats().late + player.buffer().stats().lost, 0u);
}

TEST(JitterBuffer, ShrinksAnExcessiveDelayInContinuousSpeechByDroppingFrames) {
  Player player({.initial_delay = milliseconds(200)});
  const auto sent = stream(400, [](std::uint32_t) { return 3'000; });
  // Stop while the stream is still flowing: after its end, underrun concealment adds delay.
  const auto played = player.run(sent, 8'000'000);

  const JitterBufferStats stats = player.buffer().stats();
  EXPECT_EQ(stats.concealed, 0u);
  EXPECT_GT(stats.delay_dropped, 0u);
  EXPECT_LE(stats.current_delay.count(), 100'000);
  EXPECT_EQ(stats.lost, 0u);
  const auto got = frames(played);
  EXPECT_EQ(got.size() + stats.delay_dropped + player.buffer().buffered(), 400u);
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
}

TEST(JitterBuffer, FortyMillisecondPacketsPlayEveryOtherPop) {
  Player player;
  const auto sent = stream(
      50, [](std::uint32_t) { return 3'000; }, 1, 0, 320);
  const auto played = player.run(sent, 2'400'000);
  EXPECT_EQ(frames(played), iota(0, 50));
  EXPECT_EQ(count(played, PopKind::Lost), 0u);
  EXPECT_EQ(count(played, PopKind::Conceal), JitterBuffer::kMaxConceal);  // after the end
}

TEST(JitterBuffer, TenMillisecondPacketsPlayTwicePerTick) {
  Player player;
  const auto sent = stream(
      100, [](std::uint32_t) { return 3'000; }, 1, 0, 80);
  const auto played = player.run(sent, 1'400'000, 2);
  EXPECT_EQ(frames(played), iota(0, 100));
  EXPECT_EQ(count(played, PopKind::Lost), 0u);
}

TEST(JitterBuffer, BurstBeyondCapacityDropsTheOldest) {
  Player player;
  auto sent = stream(50, [](std::uint32_t) { return 0; });
  for (Sent& packet : sent) packet.arrival_us = 0;  // all at once, a second's worth
  const auto played = player.run(sent, 3'000'000);
  const JitterBufferStats stats = player.buffer().stats();
  EXPECT_EQ(stats.overflow_dropped, 18u);
  EXPECT_EQ(stats.suspect, 0u);
  EXPECT_EQ(frames(played), iota(18, 50));
}

TEST(JitterBuffer, SingleStraySequenceJumpIsIgnoredAndAConfirmedOneResyncs) {
  Player player;
  auto sent = stream(100, [](std::uint32_t) { return 3'000; });
  Sent stray = sent[40];
  stray.sequence = static_cast<std::uint16_t>(stray.sequence + 30000);
  stray.index = 9999;
  stray.marker = false;
  stray.arrival_us += 1'000;
  sent.push_back(stray);
  const auto played = player.run(sent, 2'400'000);
  EXPECT_EQ(frames(played), iota(0, 100));
  EXPECT_EQ(player.buffer().stats().suspect, 1u);
  EXPECT_EQ(player.buffer().stats().resyncs, 0u);

  // The sender really jumped (two packets in a row agree): resync and play the new numbers.
  Player jumper;
  auto jumped = stream(100, [](std::uint32_t) { return 3'000; });
  for (std::size_t i = 50; i < jumped.size(); ++i) {
    jumped[i].sequence = static_cast<std::uint16_t>(jumped[i].sequence + 30000);
    jumped[i].timestamp -= 5'000'000;  // and backwards in time
  }
  const auto got = frames(jumper.run(jumped, 2'400'000));
  EXPECT_EQ(jumper.buffer().stats().resyncs, 1u);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back(), 99u);
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
  EXPECT_GE(got.size(), 80u);
}

TEST(JitterBuffer, RefusesBadPayloadsAndConfigs) {
  EXPECT_FALSE(JitterBuffer::create({.capacity = 0}));
  EXPECT_FALSE(JitterBuffer::create({.clock_rate_hz = 0}));
  EXPECT_FALSE(
      JitterBuffer::create({.min_delay = milliseconds(100), .max_delay = milliseconds(50)}));
  EXPECT_FALSE(JitterBuffer::create({.max_payload_bytes = 0}));

  Player player;
  Sent empty;
  empty.payload_size = 0;
  EXPECT_EQ(player.push(empty), PushOutcome::BadPayload);
  Sent huge;
  huge.payload_size = 1025;
  EXPECT_EQ(player.push(huge), PushOutcome::BadPayload);
  EXPECT_EQ(player.buffer().stats().rejected, 2u);
  EXPECT_EQ(player.buffer().stats().received, 0u);
  EXPECT_EQ(player.buffer().pop(microseconds(1'000'000)).kind, PopKind::Empty);
}

TEST(JitterBuffer, HostileInputNeverBreaksItAndItRecovers) {
  std::mt19937 random(1234);
  Player player;
  std::vector<Sent> garbage;
  for (std::uint32_t i = 0; i < 20'000; ++i) {
    Sent packet;
    packet.ssrc = (random() % 50 == 0) ? random() : 0x1234;
    packet.sequence = static_cast<std::uint16_t>(random() % 4 == 0 ? random() : i * 7);
    packet.timestamp = random() % 3 == 0 ? random() : 1'000'000 - i * 160;  // mostly backwards
    packet.marker = random() % 5 == 0;
    packet.arrival_us = static_cast<std::int64_t>(i) * 1'000;
    packet.index = i;
    packet.payload_size = random() % 10 == 0 ? 0 : (random() % 20 == 0 ? 5000 : 4);
    garbage.push_back(packet);
  }
  player.run(garbage, 20'000'000);  // asserts buffered() <= capacity and payload sizes throughout
  EXPECT_GT(player.buffer().stats().rejected, 0u);

  // A clean stream afterwards plays normally.
  const std::uint64_t dropped_before = player.buffer().stats().delay_dropped;
  auto clean = stream(
      100, [](std::uint32_t) { return 21'000'000; }, 500, 77);
  for (Sent& packet : clean) packet.ssrc = 0x5555;
  const auto played = player.run(clean, 24'000'000, 1, 20'020'000);
  auto got = frames(played);
  // A leftover of the garbage may play before the clean stream's first packet flushes it.
  got.erase(got.begin(), std::find(got.begin(), got.end(), 0u));
  // The garbage left a high jitter estimate behind, so the clean stream starts at a long delay
  // and may shed a frame or two once calm is established; nothing else is missing.
  const std::uint64_t shed = player.buffer().stats().delay_dropped - dropped_before;
  EXPECT_LE(shed, 8u);
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
  EXPECT_EQ(got.size() + shed, 100u);
  EXPECT_EQ(got.back(), 99u);
}

}  // namespace
}  // namespace kolokol::media
