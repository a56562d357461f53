#include "media/engine/leg_playout.h"

#include <chrono>

#include "media/rtp/jitter_buffer.h"

namespace kolokol::media {
namespace {

// How far a frame may land from the current time and still follow the previous one.
constexpr std::uint64_t kContinuityFrames = 3;
constexpr std::uint64_t kMsPerFrame = 20;

std::chrono::microseconds micros(std::int64_t ms) {
  return std::chrono::microseconds(ms * 1000);
}

}  // namespace

LegPlayout::LegPlayout(const LegPlayoutConfig& config)
    : config_(config), decoders_(config.output_rate, config.codec_options) {}

LegPlayout::~LegPlayout() = default;
LegPlayout::LegPlayout(LegPlayout&&) noexcept = default;
LegPlayout& LegPlayout::operator=(LegPlayout&&) noexcept = default;

bool LegPlayout::restart_for(std::uint32_t clock_rate) {
  JitterBufferConfig jitter_config;
  jitter_config.clock_rate_hz = static_cast<int>(clock_rate);
  jitter_config.initial_delay = std::chrono::milliseconds(config_.jitter_initial_delay_ms);
  jitter_config.max_delay = std::chrono::milliseconds(config_.jitter_max_delay_ms);
  jitter_config.capacity = config_.jitter_capacity;
  auto jitter = JitterBuffer::create(jitter_config);
  if (!jitter) return false;
  if (jitter_) ++stats_.resyncs;
  jitter_ = std::make_unique<JitterBuffer>(std::move(*jitter));
  clock_rate_ = clock_rate;
  return true;
}

void LegPlayout::push(const RtpPacket& packet, const PayloadMap& map, std::int64_t arrival_ms) {
  const PayloadMeaning& meaning = map.meaning(packet.payload_type);
  // Telephone-events are not audio (RFC 4733 asks receivers not to render them as tones here),
  // and comfort noise is the sender being silent: both leave gaps that play as concealment
  // fading to silence, which is what the other side heard too.
  if (meaning.kind != PayloadKind::Audio) {
    ++stats_.ignored;
    return;
  }
  if (clock_rate_ != meaning.clock_rate && !restart_for(meaning.clock_rate)) {
    ++stats_.ignored;
    return;
  }
  codecs_[packet.sequence % kCodecRing] = RingEntry{packet.sequence, meaning.codec};
  ++stats_.packets;
  (void)jitter_->push(jitter_packet_from(packet), micros(arrival_ms));
}

std::optional<CodecId> LegPlayout::codec_of(std::uint16_t sequence) const {
  const RingEntry& entry = codecs_[sequence % kCodecRing];
  if (entry.sequence != sequence) return std::nullopt;
  return entry.codec;
}

std::optional<PlayoutFrame> LegPlayout::pop(std::int64_t now_ms, std::uint64_t now_time) {
  if (!jitter_) return std::nullopt;
  const JitterFrame frame = jitter_->pop(micros(now_ms));
  base::Expected<std::span<const std::int16_t>, CodecError> pcm = std::span<const std::int16_t>{};
  switch (frame.kind) {
    case PopKind::Empty:
      return std::nullopt;
    case PopKind::Frame:
      if (auto codec = codec_of(frame.sequence)) pcm = decoders_.decode(*codec, frame.payload);
      if (pcm) break;
      ++stats_.undecodable;
      [[fallthrough]];
    case PopKind::Lost:
    case PopKind::Conceal:
      ++stats_.concealed;
      pcm = decoders_.conceal();
      break;
  }
  const std::span<const std::int16_t> audio = pcm ? *pcm : std::span<const std::int16_t>{};

  const std::uint64_t tolerance = kContinuityFrames * kMsPerFrame * config_.output_rate / 1000;
  std::uint64_t time = now_time;
  if (next_time_ && *next_time_ + tolerance >= now_time && *next_time_ <= now_time + tolerance) {
    time = *next_time_;
  }
  next_time_ = time + audio.size();
  return PlayoutFrame{time, audio};
}

}  // namespace kolokol::media
