#include "media/dsp/telephone_event_sender.h"

#include <algorithm>

namespace kolokol::media {
namespace {

constexpr std::uint64_t kMaxSegment = 0xffff;

}  // namespace

std::string_view telephone_event_sender_error_name(TelephoneEventSenderError error) {
  switch (error) {
    case TelephoneEventSenderError::BadClockRate:
      return "bad telephone-event clock rate";
    case TelephoneEventSenderError::BadInterval:
      return "telephone-event packet interval outside 10-100 ms";
    case TelephoneEventSenderError::BadVolume:
      return "telephone-event volume over 63";
    case TelephoneEventSenderError::NotADigit:
      return "not a DTMF digit or flash";
    case TelephoneEventSenderError::BadDuration:
      return "digit duration zero or too long";
  }
  return "unknown";
}

base::Expected<TelephoneEventSender, TelephoneEventSenderError> TelephoneEventSender::create(
    const TelephoneEventSenderConfig& config) {
  if (config.clock_rate == 0 || config.clock_rate > 48'000) {
    return base::unexpected(TelephoneEventSenderError::BadClockRate);
  }
  if (config.packet_interval_ms < 10 || config.packet_interval_ms > 100) {
    return base::unexpected(TelephoneEventSenderError::BadInterval);
  }
  if (config.volume > TelephoneEvent::kMaxVolume) {
    return base::unexpected(TelephoneEventSenderError::BadVolume);
  }
  return TelephoneEventSender(config);
}

base::Expected<std::vector<PlannedTelephoneEvent>, TelephoneEventSenderError>
TelephoneEventSender::packets(char digit, std::uint32_t duration_ms) const {
  const auto code = event_for_digit(digit);
  if (!code) return base::unexpected(TelephoneEventSenderError::NotADigit);
  if (duration_ms == 0 || duration_ms > kMaxDurationMs) {
    return base::unexpected(TelephoneEventSenderError::BadDuration);
  }
  const std::uint64_t total =
      std::max<std::uint64_t>(1, std::uint64_t{duration_ms} * config_.clock_rate / 1000);
  const std::uint64_t step = std::uint64_t{config_.packet_interval_ms} * config_.clock_rate / 1000;

  std::vector<PlannedTelephoneEvent> out;
  out.reserve(total / step + 4 + total / kMaxSegment);
  std::uint64_t segment_start = 0;
  auto emit = [&](std::uint64_t duration, bool end, std::uint32_t send_ms) {
    TelephoneEvent event;
    event.event = *code;
    event.end = end;
    event.volume = config_.volume;
    event.duration = static_cast<std::uint16_t>(duration);
    PlannedTelephoneEvent packet;
    packet.payload = *serialize_telephone_event(event);  // volume checked in create()
    packet.marker = out.empty();
    packet.timestamp_offset = static_cast<std::uint32_t>(segment_start);
    packet.send_offset_ms = send_ms;
    out.push_back(packet);
  };

  // Each packet carries the duration the press will have reached by the next one, so the
  // end packet goes out as soon as the press is over.
  for (std::uint64_t tick = 0;; ++tick) {
    const auto send_ms = static_cast<std::uint32_t>(tick * config_.packet_interval_ms);
    const std::uint64_t elapsed = std::min((tick + 1) * step, total);
    while (elapsed - segment_start > kMaxSegment ||
           (elapsed - segment_start == kMaxSegment && elapsed < total)) {
      emit(kMaxSegment, false, send_ms);
      segment_start += kMaxSegment;
    }
    if (elapsed < total) {
      emit(elapsed - segment_start, false, send_ms);
      continue;
    }
    for (int repeat = 0; repeat < kEndRepeats; ++repeat) {
      emit(total - segment_start, true,
           send_ms + static_cast<std::uint32_t>(repeat) * config_.packet_interval_ms);
    }
    return out;
  }
}

}  // namespace kolokol::media
