#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "media/dsp/telephone_event.h"

namespace kolokol::media {

struct TelephoneEventSenderConfig {
  std::uint32_t clock_rate = 8000;        // the telephone-event payload's RTP clock
  std::uint32_t packet_interval_ms = 50;  // RFC 4733 2.5.1.2 suggests 50 ms; 20 ms matches ptime
  std::uint8_t volume = 10;               // -dBm0, 0-63
};

// One RTP packet of a key press, ready for the RTP sender: it adds the offsets to the press's
// RTP timestamp and start time and numbers the packets in order.
struct PlannedTelephoneEvent {
  std::array<std::uint8_t, TelephoneEvent::kSize> payload{};
  bool marker = false;
  std::uint32_t timestamp_offset = 0;  // non-zero only in later segments of a long press
  std::uint32_t send_offset_ms = 0;

  friend bool operator==(const PlannedTelephoneEvent&, const PlannedTelephoneEvent&) = default;
};

enum class TelephoneEventSenderError : std::uint8_t {
  BadClockRate,  // 0, or over 48 kHz
  BadInterval,   // packet interval outside 10-100 ms
  BadVolume,     // over 63
  NotADigit,
  BadDuration,  // 0, or longer than kMaxDurationMs
};
std::string_view telephone_event_sender_error_name(TelephoneEventSenderError error);

// Plans the packets of one key press the way RFC 4733 2.5.1 wants them sent: the first with the
// marker bit, then one update per packet interval with the duration so far, then the end packet
// three times (2.5.1.4) so one loss does not leave the digit hanging at the far end. A press
// longer than the 16-bit duration field is split into segments (2.5.1.3), each starting at the
// previous timestamp plus 0xFFFF; segment boundaries are sent once, without the E bit.
class TelephoneEventSender {
 public:
  static constexpr std::uint32_t kMaxDurationMs = 60'000;
  static constexpr int kEndRepeats = 3;

  static base::Expected<TelephoneEventSender, TelephoneEventSenderError> create(
      const TelephoneEventSenderConfig& config);

  base::Expected<std::vector<PlannedTelephoneEvent>, TelephoneEventSenderError> packets(
      char digit, std::uint32_t duration_ms) const;

  const TelephoneEventSenderConfig& config() const { return config_; }

 private:
  explicit TelephoneEventSender(const TelephoneEventSenderConfig& config) : config_(config) {}

  TelephoneEventSenderConfig config_;
};

}  // namespace kolokol::media
