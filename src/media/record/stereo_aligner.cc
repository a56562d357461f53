#include "media/record/stereo_aligner.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace kolokol::media {
namespace {

StereoAlignerConfig sanitized(StereoAlignerConfig config) {
  config.sample_rate = std::max<std::uint32_t>(config.sample_rate, 1);
  config.block_frames = std::max<std::uint32_t>(config.block_frames, 1);
  config.max_lead_frames = std::max(config.max_lead_frames, config.block_frames);
  config.max_frame_frames =
      std::clamp<std::uint32_t>(config.max_frame_frames, 1, config.max_lead_frames);
  return config;
}

std::int16_t saturate(std::int32_t value) {
  return static_cast<std::int16_t>(std::clamp<std::int32_t>(
      value, std::numeric_limits<std::int16_t>::min(), std::numeric_limits<std::int16_t>::max()));
}

}  // namespace

std::string_view aligner_push_outcome_name(AlignerPushOutcome outcome) {
  switch (outcome) {
    case AlignerPushOutcome::Accepted:
      return "accepted";
    case AlignerPushOutcome::PartlyLate:
      return "partly late";
    case AlignerPushOutcome::Late:
      return "late";
    case AlignerPushOutcome::Duplicate:
      return "duplicate";
    case AlignerPushOutcome::TooLarge:
      return "too large";
    case AlignerPushOutcome::TooFar:
      return "too far ahead";
    case AlignerPushOutcome::Finished:
      return "finished";
  }
  return "unknown";
}

StereoAligner::StereoAligner(const StereoAlignerConfig& config, BlockHandler on_block)
    : config_(sanitized(config)), on_block_(std::move(on_block)) {
  // After a push the ring holds [released_, highest end); the lead bound keeps that span under
  // max_lead + one block, because release happens in whole blocks.
  capacity_ = std::size_t{config_.max_lead_frames} + config_.block_frames;
  for (SideBuffer* side : {&left_, &right_}) {
    side->samples.assign(capacity_, 0);
    side->present.assign(capacity_, 0);
  }
  out_.assign(std::size_t{config_.block_frames} * 2, 0);
}

AlignerPushOutcome StereoAligner::push(RecordingSide side, std::uint64_t time,
                                       std::span<const std::int16_t> pcm) {
  if (finished_) {
    ++stats_.refused_frames;
    return AlignerPushOutcome::Finished;
  }
  if (pcm.empty()) return AlignerPushOutcome::Accepted;
  if (pcm.size() > config_.max_frame_frames) {
    ++stats_.refused_frames;
    return AlignerPushOutcome::TooLarge;
  }
  if (time > released_ && time - released_ > config_.max_gap_frames) {
    ++stats_.refused_frames;
    return AlignerPushOutcome::TooFar;
  }
  const std::uint64_t end = time + pcm.size();
  if (end <= released_) {
    ++stats_.late_frames;
    stats_.late_samples += pcm.size();
    return AlignerPushOutcome::Late;
  }

  SideBuffer& mine = buffer(side);
  const std::uint64_t highest = std::max({mine.high, end, left_.high, right_.high});
  if (highest - released_ > config_.max_lead_frames) {
    const std::uint64_t before = released_;
    release_until(highest - config_.max_lead_frames, false);
    if (released_ != before) ++stats_.forced_releases;
  }

  AlignerPushOutcome outcome = AlignerPushOutcome::Accepted;
  if (time < released_) {
    const std::uint64_t skip = released_ - time;
    ++stats_.late_frames;
    stats_.late_samples += skip;
    pcm = pcm.subspan(static_cast<std::size_t>(skip));
    time = released_;
    outcome = AlignerPushOutcome::PartlyLate;
  }
  std::size_t stored = 0;
  std::size_t index = slot(time);
  std::int16_t* samples = mine.samples.data();
  std::uint8_t* present = mine.present.data();
  for (const std::int16_t sample : pcm) {
    if (present[index] == 0) {
      samples[index] = sample;
      present[index] = 1;
      ++stored;
    }
    if (++index == capacity_) index = 0;
  }
  stats_.duplicate_samples += pcm.size() - stored;
  mine.high = std::max(mine.high, end);
  advance_contiguous(mine);
  release_ready();
  if (stored == 0 && outcome == AlignerPushOutcome::Accepted) return AlignerPushOutcome::Duplicate;
  return outcome;
}

void StereoAligner::tick(std::uint64_t now) {
  if (finished_ || now <= config_.max_lead_frames) return;
  const std::uint64_t before = released_;
  release_until(now - config_.max_lead_frames, false);
  if (released_ != before) ++stats_.forced_releases;
}

void StereoAligner::finish(std::uint64_t end) {
  if (finished_) return;
  release_until(end, true);
  finished_ = true;
}

void StereoAligner::advance_contiguous(SideBuffer& side) {
  side.contiguous = std::max(side.contiguous, released_);
  std::size_t index = slot(side.contiguous);
  const std::uint8_t* present = side.present.data();
  while (side.contiguous < side.high && present[index] != 0) {
    ++side.contiguous;
    if (++index == capacity_) index = 0;
  }
}

void StereoAligner::release_ready() {
  release_until(std::min(left_.contiguous, right_.contiguous), false);
}

void StereoAligner::release_until(std::uint64_t limit, bool allow_partial) {
  if (limit <= released_) return;
  while (limit - released_ >= config_.block_frames) release_block(config_.block_frames);
  if (allow_partial && limit > released_) {
    release_block(static_cast<std::uint32_t>(limit - released_));
  }
  advance_contiguous(left_);
  advance_contiguous(right_);
}

void StereoAligner::release_block(std::uint32_t frames) {
  const bool stereo = config_.layout == RecordingLayout::Stereo;
  std::uint8_t* left_present = left_.present.data();
  std::uint8_t* right_present = right_.present.data();
  const std::int16_t* left_samples = left_.samples.data();
  const std::int16_t* right_samples = right_.samples.data();
  std::int16_t* out = out_.data();
  std::uint64_t left_silent = 0;
  std::uint64_t right_silent = 0;
  std::size_t index = slot(released_);
  for (std::uint32_t i = 0; i < frames; ++i) {
    std::int16_t left = 0;
    std::int16_t right = 0;
    if (left_present[index] != 0) {
      left = left_samples[index];
    } else {
      ++left_silent;
    }
    if (right_present[index] != 0) {
      right = right_samples[index];
    } else {
      ++right_silent;
    }
    left_present[index] = 0;
    right_present[index] = 0;
    if (stereo) {
      out[2 * i] = left;
      out[2 * i + 1] = right;
    } else {
      out[i] = saturate(std::int32_t{left} + right);
    }
    if (++index == capacity_) index = 0;
  }
  stats_.left_silent_frames += left_silent;
  stats_.right_silent_frames += right_silent;
  AlignedBlock block;
  block.start = released_;
  block.frames = frames;
  block.channels = channels();
  block.samples = std::span<const std::int16_t>(out_.data(), std::size_t{frames} * channels());
  released_ += frames;
  stats_.released_frames += frames;
  if (on_block_) on_block_(block);
}

}  // namespace kolokol::media
