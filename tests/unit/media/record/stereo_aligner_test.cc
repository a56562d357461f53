#include "media/record/stereo_aligner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <queue>
#include <random>
#include <tuple>
#include <vector>

#include "unit/media/record/audio_probe.h"

namespace kolokol::media {
namespace {

constexpr std::uint32_t kRate = 8000;
constexpr std::uint32_t kFrame = 160;  // 20 ms

// Collects everything the aligner releases and checks the blocks follow each other.
struct Collector {
  std::vector<std::int16_t> samples;
  std::uint64_t next_start = 0;
  bool contiguous = true;

  StereoAligner::BlockHandler handler() {
    return [this](const AlignedBlock& block) {
      contiguous = contiguous && block.start == next_start &&
                   block.samples.size() == std::size_t{block.frames} * block.channels;
      next_start = block.start + block.frames;
      samples.insert(samples.end(), block.samples.begin(), block.samples.end());
    };
  }
};

std::vector<std::int16_t> constant(std::int16_t value, std::size_t frames = kFrame) {
  return std::vector<std::int16_t>(frames, value);
}

TEST(StereoAligner, TonesLandOnTheirOwnChannelAtTheirOwnTimeDespiteJitter) {
  Collector out;
  StereoAligner aligner(StereoAlignerConfig{}, out.handler());
  const auto left_tone = test::tone(440, kRate, kRate);
  const auto right_tone = test::tone(1000, kRate, kRate, 8000, kRate);

  // Left speaks in second 0-1, right in second 1-2; every frame arrives 0-90 ms late, so frames
  // of one side overtake each other and the two sides interleave unpredictably.
  struct Arrival {
    std::uint64_t at;
    RecordingSide side;
    std::uint64_t time;
  };
  std::vector<Arrival> arrivals;
  std::mt19937 random(7);
  std::uniform_int_distribution<std::uint64_t> jitter(0, 720);
  for (std::uint64_t t = 0; t < kRate; t += kFrame) {
    arrivals.push_back({t + jitter(random), RecordingSide::Left, t});
    arrivals.push_back({kRate + t + jitter(random), RecordingSide::Right, kRate + t});
  }
  std::sort(arrivals.begin(), arrivals.end(),
            [](const Arrival& a, const Arrival& b) { return a.at < b.at; });
  std::size_t next = 0;
  for (std::uint64_t now = 0; now <= 3 * kRate; now += kFrame) {
    for (; next < arrivals.size() && arrivals[next].at <= now; ++next) {
      const Arrival& a = arrivals[next];
      const auto& source = a.side == RecordingSide::Left ? left_tone : right_tone;
      const std::size_t offset = a.side == RecordingSide::Left ? a.time : a.time - kRate;
      EXPECT_EQ(aligner.push(a.side, a.time,
                             std::span<const std::int16_t>(source).subspan(offset, kFrame)),
                AlignerPushOutcome::Accepted);
    }
    aligner.tick(now);
  }
  aligner.finish(kRate * 5 / 2);

  ASSERT_TRUE(out.contiguous);
  ASSERT_EQ(out.samples.size(), std::size_t{kRate} * 5 / 2 * 2);
  EXPECT_EQ(aligner.stats().late_frames, 0u);
  constexpr std::size_t kWindow = kRate / 10;
  for (std::size_t window = 0; window < 25; ++window) {
    SCOPED_TRACE(window);
    const auto left = test::channel(out.samples, 2, 0, window * kWindow, kWindow);
    const auto right = test::channel(out.samples, 2, 1, window * kWindow, kWindow);
    if (window < 10) {
      EXPECT_NEAR(test::tone_amplitude(left, 440, kRate), 8000, 400);
      EXPECT_LT(test::tone_amplitude(left, 1000, kRate), 200);
      EXPECT_EQ(test::rms(right), 0);
    } else if (window < 20) {
      EXPECT_NEAR(test::tone_amplitude(right, 1000, kRate), 8000, 400);
      EXPECT_LT(test::tone_amplitude(right, 440, kRate), 200);
      EXPECT_EQ(test::rms(left), 0);
    } else {
      EXPECT_EQ(test::rms(left), 0);
      EXPECT_EQ(test::rms(right), 0);
    }
  }
  // Sample exact, not just spectrally right.
  const auto left = test::channel(out.samples, 2, 0, 0, kRate);
  EXPECT_TRUE(std::equal(left.begin(), left.end(), left_tone.begin()));
  const auto right = test::channel(out.samples, 2, 1, kRate, kRate);
  EXPECT_TRUE(std::equal(right.begin(), right.end(), right_tone.begin()));
}

// The value every frame carries, so the output can be checked for alignment at every sample.
std::int16_t marker(RecordingSide side, std::uint64_t frame_index) {
  const auto base = static_cast<std::int16_t>(1 + frame_index % 10000);
  return side == RecordingSide::Left ? base : static_cast<std::int16_t>(-base);
}

TEST(StereoAligner, AnHourWithJitterGapsAndLossComesOutExactlyAnHourLong) {
  constexpr std::uint64_t kHour = 3600ull * kRate;
  std::uint64_t released = 0;
  std::uint64_t misplaced = 0;
  std::uint64_t right_present = 0;
  StereoAligner aligner(StereoAlignerConfig{}, [&](const AlignedBlock& block) {
    // Blocks and frames are both 160 samples and start on frame boundaries here, so each block
    // carries one marker per side.
    const std::uint64_t frame = block.start / kFrame;
    const std::int16_t left_marker = marker(RecordingSide::Left, frame);
    const std::int16_t right_marker = marker(RecordingSide::Right, frame);
    const std::int16_t* samples = block.samples.data();
    for (std::uint32_t i = 0; i < block.frames; ++i) {
      if (samples[2 * i] != left_marker) ++misplaced;
      if (samples[2 * i + 1] != 0) {
        ++right_present;
        if (samples[2 * i + 1] != right_marker) ++misplaced;
      }
    }
    if (block.start % kFrame != 0 || block.frames != kFrame) ++misplaced;
    released += block.frames;
  });

  // Left: every frame, on time. Right: 0-60 ms jitter (reordering), 1% loss, and ten seconds of
  // silence suppression (nothing sent) every five minutes.
  std::mt19937 random(11);
  std::uniform_int_distribution<std::uint64_t> jitter(0, 480);
  std::bernoulli_distribution lost(0.01);
  using Pending = std::pair<std::uint64_t, std::uint64_t>;  // arrival, frame index
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> in_flight;
  std::vector<std::int16_t> frame(kFrame);
  std::uint64_t right_sent = 0;
  for (std::uint64_t index = 0; index * kFrame < kHour; ++index) {
    const std::uint64_t now = index * kFrame;
    std::fill(frame.begin(), frame.end(), marker(RecordingSide::Left, index));
    aligner.push(RecordingSide::Left, now, frame);
    const bool suppressed = (now / kRate) % 300 >= 290;
    if (!suppressed && !lost(random)) in_flight.push({now + jitter(random), index});
    while (!in_flight.empty() && in_flight.top().first <= now) {
      const std::uint64_t right_index = in_flight.top().second;
      in_flight.pop();
      std::fill(frame.begin(), frame.end(), marker(RecordingSide::Right, right_index));
      ASSERT_EQ(aligner.push(RecordingSide::Right, right_index * kFrame, frame),
                AlignerPushOutcome::Accepted);
      ++right_sent;
    }
    aligner.tick(now);
  }
  aligner.finish(kHour);

  EXPECT_EQ(released, kHour);
  EXPECT_EQ(aligner.stats().released_frames, kHour);
  EXPECT_EQ(misplaced, 0u);
  // What arrived in time is all there; everything else is silence, on the right only.
  EXPECT_EQ(aligner.stats().left_silent_frames, 0u);
  EXPECT_EQ(right_present + aligner.stats().late_samples, right_sent * kFrame);
  EXPECT_EQ(aligner.stats().right_silent_frames, kHour - right_present);
  EXPECT_EQ(aligner.stats().late_frames, 0u);
}

TEST(StereoAligner, LateFramesAreDroppedAndDuplicatesKeepTheFirstCopy) {
  Collector out;
  StereoAligner aligner(StereoAlignerConfig{}, out.handler());
  EXPECT_EQ(aligner.push(RecordingSide::Left, 0, constant(1)), AlignerPushOutcome::Accepted);
  EXPECT_EQ(aligner.push(RecordingSide::Right, 0, constant(2)), AlignerPushOutcome::Accepted);
  ASSERT_EQ(aligner.released_until(), kFrame);  // both sides there: released at once

  EXPECT_EQ(aligner.push(RecordingSide::Left, 0, constant(9)), AlignerPushOutcome::Late);
  EXPECT_EQ(aligner.push(RecordingSide::Right, 80, constant(3)), AlignerPushOutcome::PartlyLate);
  EXPECT_EQ(aligner.stats().late_frames, 2u);
  EXPECT_EQ(aligner.stats().late_samples, kFrame + 80);

  EXPECT_EQ(aligner.push(RecordingSide::Left, kFrame, constant(4)), AlignerPushOutcome::Accepted);
  EXPECT_EQ(aligner.push(RecordingSide::Left, kFrame, constant(5)), AlignerPushOutcome::Duplicate);
  // Overlaps the last 80 samples of the frame before: only its new half is taken.
  EXPECT_EQ(aligner.push(RecordingSide::Left, kFrame + 80, constant(6)),
            AlignerPushOutcome::Accepted);
  EXPECT_EQ(aligner.stats().duplicate_samples, kFrame + 80);
  aligner.finish(2 * kFrame + 80);

  ASSERT_EQ(out.samples.size(), (2 * kFrame + 80) * 2);
  for (std::size_t i = 0; i < 2 * kFrame + 80; ++i) {
    SCOPED_TRACE(i);
    const std::int16_t left = out.samples[2 * i];
    const std::int16_t right = out.samples[2 * i + 1];
    if (i < kFrame) {
      ASSERT_EQ(left, 1);
      ASSERT_EQ(right, 2);
    } else {
      ASSERT_EQ(left, i < 2 * kFrame ? 4 : 6);
      // The partly late right frame covered [80, 240): its tail survives at [160, 240).
      ASSERT_EQ(right, i < kFrame + 80 ? 3 : 0);
    }
  }
}

TEST(StereoAligner, ASideRunningAheadIsBoundedAndTheOtherCountedSilent) {
  Collector out;
  StereoAlignerConfig config;  // 500 ms lead at 8 kHz
  StereoAligner aligner(config, out.handler());
  // Right never sends; left sends 1 s. Nothing may wait beyond the lead bound.
  for (std::uint64_t t = 0; t < kRate; t += kFrame) {
    ASSERT_EQ(
        aligner.push(RecordingSide::Left, t, constant(static_cast<std::int16_t>(t / kFrame + 1))),
        AlignerPushOutcome::Accepted);
    ASSERT_LE(t + kFrame - aligner.released_until(), config.max_lead_frames);
  }
  EXPECT_EQ(aligner.released_until(), kRate - config.max_lead_frames);
  EXPECT_GT(aligner.stats().forced_releases, 0u);
  EXPECT_EQ(aligner.stats().right_silent_frames, aligner.released_until());
  EXPECT_EQ(aligner.stats().left_silent_frames, 0u);
  // Right's first frame now is too late for what was released, in time for the rest.
  EXPECT_EQ(aligner.push(RecordingSide::Right, 0, constant(7)), AlignerPushOutcome::Late);
  EXPECT_EQ(aligner.push(RecordingSide::Right, kRate - kFrame, constant(7)),
            AlignerPushOutcome::Accepted);
  aligner.finish(kRate);
  ASSERT_EQ(out.samples.size(), 2u * kRate);
  for (std::size_t i = 0; i < kRate; ++i) {
    ASSERT_EQ(out.samples[2 * i], static_cast<std::int16_t>(i / kFrame + 1)) << i;
    ASSERT_EQ(out.samples[2 * i + 1], i >= kRate - kFrame ? 7 : 0) << i;
  }
}

TEST(StereoAligner, TickKeepsTheRecordingAdvancingThroughSilence) {
  Collector out;
  StereoAligner aligner(StereoAlignerConfig{}, out.handler());
  aligner.tick(2 * kRate);  // two seconds, nobody spoke
  EXPECT_EQ(aligner.released_until(), 2 * kRate - 4000);
  EXPECT_TRUE(std::all_of(out.samples.begin(), out.samples.end(), [](auto s) { return s == 0; }));
  aligner.finish(2 * kRate + 7);  // the final block may be short
  EXPECT_EQ(out.samples.size(), (2 * kRate + 7) * 2);
  EXPECT_TRUE(out.contiguous);
}

TEST(StereoAligner, MonoMixSumsWithoutWrappingAround) {
  Collector out;
  StereoAlignerConfig config;
  config.layout = RecordingLayout::MonoMix;
  StereoAligner aligner(config, out.handler());
  ASSERT_EQ(aligner.channels(), 1u);
  std::vector<std::int16_t> left = {30000, -30000, 1000, -5, 0};
  std::vector<std::int16_t> right = {30000, -30000, 2000, 5, -32768};
  aligner.push(RecordingSide::Left, 0, left);
  aligner.push(RecordingSide::Right, 0, right);
  aligner.finish(6);
  EXPECT_EQ(out.samples, (std::vector<std::int16_t>{32767, -32768, 3000, 0, -32768, 0}));
}

TEST(StereoAligner, RefusesOversizedFarFutureAndAfterFinish) {
  Collector out;
  StereoAlignerConfig config;
  StereoAligner aligner(config, out.handler());
  EXPECT_EQ(aligner.push(RecordingSide::Left, 0, constant(1, config.max_frame_frames + 1)),
            AlignerPushOutcome::TooLarge);
  EXPECT_EQ(aligner.push(RecordingSide::Left, config.max_gap_frames + 1, constant(1)),
            AlignerPushOutcome::TooFar);
  EXPECT_EQ(aligner.released_until(), 0u);  // the far frame did not write a minute of silence
  EXPECT_EQ(aligner.push(RecordingSide::Left, 0, {}),
            AlignerPushOutcome::Accepted);  // nothing to do
  aligner.finish(kFrame);
  EXPECT_EQ(aligner.push(RecordingSide::Left, kFrame, constant(1)), AlignerPushOutcome::Finished);
  EXPECT_EQ(aligner.stats().refused_frames, 3u);
  EXPECT_EQ(out.samples.size(), 2u * kFrame);
}

TEST(StereoAligner, NonsenseConfigurationIsClampedToSomethingThatWorks) {
  Collector out;
  StereoAlignerConfig config;
  config.block_frames = 0;
  config.max_lead_frames = 0;
  config.max_frame_frames = 100000;
  StereoAligner aligner(config, out.handler());
  EXPECT_GE(aligner.config().block_frames, 1u);
  EXPECT_LE(aligner.config().max_frame_frames, aligner.config().max_lead_frames);
  aligner.push(RecordingSide::Left, 0, constant(3, aligner.config().max_frame_frames));
  aligner.finish(10);
  EXPECT_EQ(out.samples.size(), 20u);
}

}  // namespace
}  // namespace kolokol::media
