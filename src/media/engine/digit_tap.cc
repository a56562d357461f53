#include "media/engine/digit_tap.h"

namespace kolokol::media {
namespace {

constexpr std::size_t kScratchNotices = 16;

}  // namespace

DigitTap::DigitTap(const DigitTapConfig& config)
    : config_(config),
      receiver_(8000, config.event_end_timeout_ms),
      decoders_(DtmfDetector::kSampleRate, config.codec_options) {
  found_.reserve(kScratchNotices);
}

std::size_t DigitTap::on_packet(const RtpPacket& packet, std::int64_t arrival_ms,
                                const PayloadMap& map, std::vector<DigitNotice>& out) {
  const PayloadMeaning& meaning = map.meaning(packet.payload_type);
  found_.clear();
  switch (meaning.kind) {
    case PayloadKind::TelephoneEvent:
      on_event_packet(packet, arrival_ms, meaning.clock_rate);
      return pass(found_, events_, tones_, arrival_ms, out);
    case PayloadKind::Audio:
      if (!config_.inband) return 0;
      on_audio_packet(packet, arrival_ms, meaning.codec);
      return pass(found_, tones_, events_, arrival_ms, out);
    case PayloadKind::ComfortNoise:
      return 0;
    case PayloadKind::Unknown:
      break;
  }
  ++stats_.unknown_payload_type;
  return 0;
}

std::size_t DigitTap::on_tick(std::int64_t now_ms, std::vector<DigitNotice>& out) {
  found_.clear();
  receiver_.on_tick(now_ms, found_);
  return pass(found_, events_, tones_, now_ms, out);
}

void DigitTap::on_event_packet(const RtpPacket& packet, std::int64_t arrival_ms,
                               std::uint32_t rate) {
  if (rate != event_rate_) {
    // A new telephone-event clock (the SDP changed): a new stream of events. The receiver
    // holds no heap memory, so replacing it costs nothing.
    receiver_.on_tick(arrival_ms + config_.event_end_timeout_ms, found_);
    receiver_ = TelephoneEventReceiver(rate, config_.event_end_timeout_ms);
    event_rate_ = rate;
  }
  const TelephoneEventPacket event{packet.timestamp, packet.marker, packet.payload, arrival_ms};
  if (!receiver_.on_packet(event, found_)) ++stats_.bad_event_payload;
}

void DigitTap::on_audio_packet(const RtpPacket& packet, std::int64_t arrival_ms, CodecId codec) {
  auto pcm = decoders_.decode(codec, packet.payload);
  if (!pcm) {
    ++stats_.undecodable;
    return;
  }
  detector_.process(*pcm, found_);
  // The detector times notices from the first sample it was fed; the last sample of this
  // packet is taken to have arrived now.
  const auto stream_end_ms =
      static_cast<std::int64_t>(detector_.position() * 1000 / DtmfDetector::kSampleRate);
  for (DigitNotice& notice : found_) {
    if (notice.phase == DigitPhase::Began) {
      tone_start_ms_ = arrival_ms - (stream_end_ms - notice.event.start_ms);
    }
    // The Ended notice repeats the Began's start, whatever jitter moved since.
    notice.event.start_ms = tone_start_ms_;
  }
}

std::size_t DigitTap::pass(std::vector<DigitNotice>& notices, Source& self, const Source& other,
                           std::int64_t now_ms, std::vector<DigitNotice>& out) {
  std::size_t passed = 0;
  for (const DigitNotice& notice : notices) {
    const char digit = notice.event.digit;
    if (notice.phase == DigitPhase::Began) {
      const bool other_recent =
          other.last_digit == digit && now_ms - other.last_end_ms <= config_.duplicate_window_ms;
      self.active = digit;
      self.dropped = other.active == digit || other_recent;
      if (self.dropped) ++stats_.duplicates_dropped;
    } else {
      self.active = 0;
      self.last_digit = digit;
      self.last_end_ms = now_ms;
    }
    if (!self.dropped) {
      out.push_back(notice);
      ++passed;
    }
    if (notice.phase == DigitPhase::Ended) self.dropped = false;
  }
  notices.clear();
  return passed;
}

}  // namespace kolokol::media
