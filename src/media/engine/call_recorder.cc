#include "media/engine/call_recorder.h"

#include <algorithm>
#include <utility>

#include "media/dsp/resampler.h"

namespace kolokol::media {
namespace {

// Pops per leg and tick: one 20 ms packet normally, a few more when the jitter buffer catches
// up or packets are shorter than a tick; bounded so a confused buffer cannot hold the worker.
constexpr int kMaxPopsPerTick = 8;
constexpr std::uint32_t kBlockMs = 20;
constexpr std::uint32_t kMaxLeadMs = 500;
constexpr std::uint32_t kMaxFrameMs = 120;  // opus's longest packet
constexpr std::uint64_t kMaxGapSeconds = 60;

bool opus_decodes_at(std::uint32_t rate) {
  return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

LegPlayoutConfig leg_config(const CallRecorderConfig& config) {
  LegPlayoutConfig leg;
  leg.output_rate = config.sample_rate;
  // Opus decodes at whatever rate it is asked for: asking for the recording's spares a
  // resampler.
  if (opus_decodes_at(config.sample_rate)) leg.codec_options.opus.sample_rate = config.sample_rate;
  leg.jitter_initial_delay_ms = config.jitter_initial_delay_ms;
  leg.jitter_max_delay_ms = config.jitter_max_delay_ms;
  return leg;
}

StereoAlignerConfig aligner_config(const CallRecorderConfig& config) {
  const std::uint32_t per_ms = config.sample_rate / 1000;
  StereoAlignerConfig aligner;
  aligner.sample_rate = config.sample_rate;
  aligner.layout = config.mono ? RecordingLayout::MonoMix : RecordingLayout::Stereo;
  aligner.block_frames = kBlockMs * per_ms;
  aligner.max_lead_frames = kMaxLeadMs * per_ms;
  aligner.max_frame_frames = kMaxFrameMs * per_ms;
  aligner.max_gap_frames = std::uint64_t{config.sample_rate} * kMaxGapSeconds;
  return aligner;
}

}  // namespace

std::string_view call_recorder_error_name(CallRecorderError error) {
  switch (error) {
    case CallRecorderError::BadRate:
      return "bad recording rate";
  }
  return "unknown";
}

CallRecorder::CallRecorder(const CallRecorderConfig& config, std::int64_t now_ms)
    : sample_rate_(config.sample_rate),
      start_ms_(now_ms),
      last_tick_ms_(now_ms),
      legs_{LegPlayout(leg_config(config)), LegPlayout(leg_config(config))},
      aligner_(aligner_config(config), [this](const AlignedBlock& block) { write(block); }) {}

base::Expected<std::unique_ptr<CallRecorder>, CallRecorderError> CallRecorder::start(
    RecordingWriter& writer, CallRecorderConfig config, std::int64_t now_ms) {
  // Whole milliseconds, so 20 ms blocks are whole samples (44.1 kHz is not).
  if (!Resampler::is_supported_rate(config.sample_rate) || config.sample_rate % 1000 != 0) {
    return base::unexpected(CallRecorderError::BadRate);
  }
  std::unique_ptr<CallRecorder> recorder(new CallRecorder(config, now_ms));

  RecordingRequest request;
  request.path = std::move(config.path);
  request.file_format = config.file_format;
  request.format = AudioFormat{config.sample_rate, recorder->aligner_.channels()};
  request.sink = config.sink;
  request.queue_blocks = config.queue_blocks;
  request.max_block_frames = recorder->aligner_.config().block_frames;
  request.on_complete = std::move(config.on_complete);
  recorder->handle_ = writer.open(std::move(request));
  return recorder;
}

CallRecorder::~CallRecorder() {
  stop(last_tick_ms_);
}

std::uint64_t CallRecorder::recording_time(std::int64_t now_ms) const {
  const std::int64_t elapsed = std::max<std::int64_t>(now_ms - start_ms_, 0);
  return static_cast<std::uint64_t>(elapsed) * sample_rate_ / 1000;
}

void CallRecorder::on_packet(RelaySide leg, const RtpPacket& packet, const PayloadMap& map,
                             std::int64_t arrival_ms) {
  if (stopped_) return;
  legs_[index_of(leg)].push(packet, map, arrival_ms);
}

void CallRecorder::play(int leg, std::int64_t now_ms, std::uint64_t now_time) {
  const RecordingSide side =
      leg == index_of(RelaySide::A) ? RecordingSide::Left : RecordingSide::Right;
  for (int pops = 0; pops < kMaxPopsPerTick; ++pops) {
    const std::optional<PlayoutFrame> frame = legs_[leg].pop(now_ms, now_time);
    if (!frame) return;
    if (!frame->pcm.empty()) (void)aligner_.push(side, frame->time, frame->pcm);
  }
}

void CallRecorder::on_tick(std::int64_t now_ms) {
  if (stopped_) return;
  last_tick_ms_ = std::max(last_tick_ms_, now_ms);
  const std::uint64_t now_time = recording_time(now_ms);
  play(index_of(RelaySide::A), now_ms, now_time);
  play(index_of(RelaySide::B), now_ms, now_time);
  aligner_.tick(now_time);
}

void CallRecorder::stop(std::int64_t now_ms) {
  if (stopped_) return;
  on_tick(now_ms);
  stopped_ = true;
  aligner_.finish(std::max(recording_time(now_ms), aligner_.released_until()));
  handle_.close();
}

void CallRecorder::write(const AlignedBlock& block) {
  if (handle_.append(block.samples) == AppendResult::Queued) {
    ++blocks_queued_;
  } else {
    ++blocks_dropped_;
  }
}

CallRecorderStats CallRecorder::stats() const {
  return CallRecorderStats{
      blocks_queued_, blocks_dropped_, {legs_[0].stats(), legs_[1].stats()}, aligner_.stats()};
}

}  // namespace kolokol::media
