#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/expected.h"
#include "media/dsp/digit_event.h"
#include "media/dsp/telephone_event.h"

namespace kolokol::media {

// What the receiver needs of one RTP packet of the telephone-event payload type.
struct TelephoneEventPacket {
  std::uint32_t rtp_timestamp = 0;  // the event's start; the same in every packet of one press
  bool marker = false;  // first packet of a press; without it the start is worked out backwards
  std::span<const std::uint8_t> payload;
  std::int64_t arrival_ms = 0;  // any monotonic clock; it becomes DigitEvent::start_ms
};

// Turns the packets of one RTP stream's telephone-events into exactly one Began and one Ended
// notice per key press (RFC 4733 2.5.2). A sender repeats itself: updates with growing
// durations, the end packet three times, and the network adds duplicates and reordering. The
// RTP timestamp identifies the press, so anything carrying a timestamp already ended, or older
// than the current one, is dropped. A press whose end packets are all lost is ended by
// on_tick() once nothing has been heard of it for the end timeout; a press whose first packets
// are lost is reported from whatever packet arrives first.
//
// Single-threaded and clock-free: the caller passes arrival and current times.
class TelephoneEventReceiver {
 public:
  // RFC 4733 senders update every 50 ms at most; several lost updates in a row mean the end
  // packets are lost too.
  static constexpr std::int64_t kDefaultEndTimeoutMs = 500;

  // `clock_rate` is the telephone-event payload's RTP clock (8000 unless the SDP says otherwise;
  // 0 is taken as 8000).
  explicit TelephoneEventReceiver(std::uint32_t clock_rate = 8000,
                                  std::int64_t end_timeout_ms = kDefaultEndTimeoutMs);

  // Appends the notices this packet causes to `out` and returns how many. A payload that is not
  // a telephone-event is refused with an error and changes nothing; events that are not digits
  // (RFC 4733 fax and modem tones, for example) are ignored.
  base::Expected<std::size_t, TelephoneEventError> on_packet(const TelephoneEventPacket& packet,
                                                             std::vector<DigitNotice>& out);

  // Ends a press that has been silent for the end timeout. Returns the notices appended.
  std::size_t on_tick(std::int64_t now_ms, std::vector<DigitNotice>& out);

  // When on_tick() next has something to do, if a press is under way.
  std::optional<std::int64_t> next_deadline_ms() const;

 private:
  struct Press {
    std::uint32_t rtp_timestamp = 0;  // of the current segment
    std::uint8_t event = 0;
    char digit = 0;
    std::int64_t start_ms = 0;
    std::uint64_t earlier_segments = 0;  // clock units of finished long-event segments
    std::uint16_t duration = 0;          // longest seen in the current segment
    std::int64_t last_heard_ms = 0;
  };

  bool is_continuation(const TelephoneEvent& event, std::uint32_t rtp_timestamp) const;
  std::uint32_t to_ms(std::uint64_t units) const;
  void end_press(std::uint64_t total_units, std::vector<DigitNotice>& out);

  std::uint32_t clock_rate_;
  std::int64_t end_timeout_ms_;
  std::optional<Press> press_;
  std::optional<std::uint32_t> newest_timestamp_;  // of the press under way or last ended
};

}  // namespace kolokol::media
