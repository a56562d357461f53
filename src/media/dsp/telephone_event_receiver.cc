#include "media/dsp/telephone_event_receiver.h"

namespace kolokol::media {
namespace {

// RFC 3550 timestamps wrap; "older" is decided in serial-number arithmetic.
bool is_older(std::uint32_t timestamp, std::uint32_t than) {
  return static_cast<std::int32_t>(timestamp - than) < 0;
}

constexpr std::uint32_t kMaxSegment = 0xffff;

}  // namespace

TelephoneEventReceiver::TelephoneEventReceiver(std::uint32_t clock_rate,
                                               std::int64_t end_timeout_ms)
    : clock_rate_(clock_rate == 0 ? 8000 : clock_rate), end_timeout_ms_(end_timeout_ms) {}

std::uint32_t TelephoneEventReceiver::to_ms(std::uint64_t units) const {
  return static_cast<std::uint32_t>(units * 1000 / clock_rate_);
}

bool TelephoneEventReceiver::is_continuation(const TelephoneEvent& event,
                                             std::uint32_t rtp_timestamp) const {
  // RFC 4733 2.5.1.3: a press longer than the 16-bit duration goes on in a new segment whose
  // timestamp is the old one plus the maximum duration.
  return press_ && press_->event == event.event &&
         rtp_timestamp - press_->rtp_timestamp == kMaxSegment;
}

void TelephoneEventReceiver::end_press(std::uint64_t total_units, std::vector<DigitNotice>& out) {
  DigitEvent ended{press_->digit, press_->start_ms, to_ms(total_units), DigitSource::Rfc4733};
  out.push_back({DigitPhase::Ended, ended});
  press_.reset();
}

base::Expected<std::size_t, TelephoneEventError> TelephoneEventReceiver::on_packet(
    const TelephoneEventPacket& packet, std::vector<DigitNotice>& out) {
  auto parsed = parse_telephone_event(packet.payload);
  if (!parsed) return base::unexpected(parsed.error());
  const TelephoneEvent& event = *parsed;
  const auto digit = digit_for_event(event.event);
  if (!digit) return std::size_t{0};

  const std::size_t before = out.size();
  const std::uint32_t timestamp = packet.rtp_timestamp;
  if (newest_timestamp_ && is_older(timestamp, *newest_timestamp_)) return std::size_t{0};

  if (press_ && timestamp == press_->rtp_timestamp) {
    if (event.event != press_->event) return std::size_t{0};
    press_->last_heard_ms = packet.arrival_ms;
    if (event.duration > press_->duration) press_->duration = event.duration;
    if (event.end) end_press(press_->earlier_segments + event.duration, out);
    return out.size() - before;
  }
  if (!press_ && newest_timestamp_ && timestamp == *newest_timestamp_) {
    return std::size_t{0};  // retransmitted end, or a late update of a press already ended
  }

  newest_timestamp_ = timestamp;
  if (is_continuation(event, timestamp)) {
    press_->earlier_segments += kMaxSegment;
    press_->rtp_timestamp = timestamp;
    press_->duration = event.duration;
    press_->last_heard_ms = packet.arrival_ms;
    if (event.end) end_press(press_->earlier_segments + event.duration, out);
    return out.size() - before;
  }
  if (press_) {
    // A new press while the last one never ended: its end packets were all lost.
    end_press(press_->earlier_segments + press_->duration, out);
  }

  // A marked packet is the press's first, sent as it began. Otherwise the first packets were
  // lost, and the duration says how long the press has lasted already.
  Press press;
  press.rtp_timestamp = timestamp;
  press.event = event.event;
  press.digit = *digit;
  press.start_ms =
      packet.arrival_ms - (packet.marker ? 0 : static_cast<std::int64_t>(to_ms(event.duration)));
  press.duration = event.duration;
  press.last_heard_ms = packet.arrival_ms;
  press_ = press;
  out.push_back({DigitPhase::Began, DigitEvent{*digit, press.start_ms, 0, DigitSource::Rfc4733}});
  if (event.end) end_press(event.duration, out);
  return out.size() - before;
}

std::size_t TelephoneEventReceiver::on_tick(std::int64_t now_ms, std::vector<DigitNotice>& out) {
  if (!press_ || now_ms - press_->last_heard_ms < end_timeout_ms_) return 0;
  end_press(press_->earlier_segments + press_->duration, out);
  return 1;
}

std::optional<std::int64_t> TelephoneEventReceiver::next_deadline_ms() const {
  if (!press_) return std::nullopt;
  return press_->last_heard_ms + end_timeout_ms_;
}

}  // namespace kolokol::media
