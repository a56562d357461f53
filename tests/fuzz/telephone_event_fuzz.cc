// libFuzzer target for RFC 4733 telephone-events: the payload reader and writer must agree,
// and the receiver, whatever packets, duplicates, reordering, lost ends and clock jumps it is
// fed, must report each key press as exactly one Began followed by one Ended.
// Build and run: scripts/fuzz.sh 60 telephone_event_fuzz
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "fuzz_input.h"
#include "media/dsp/telephone_event.h"
#include "media/dsp/telephone_event_receiver.h"

namespace {

using namespace kolokol::media;

void require(bool condition) {
  if (!condition) std::abort();
}

void check_codec(std::span<const std::uint8_t> bytes) {
  auto event = parse_telephone_event(bytes);
  if (!event) {
    require(bytes.size() < TelephoneEvent::kSize);
    (void)telephone_event_error_name(event.error());
    return;
  }
  auto written = serialize_telephone_event(*event);
  require(written.has_value());
  // Everything comes back but the R bit, which receivers ignore and senders leave clear.
  require((*written)[0] == bytes[0] && (*written)[1] == (bytes[1] & 0xbf) &&
          (*written)[2] == bytes[2] && (*written)[3] == bytes[3]);
  auto again = parse_telephone_event(*written);
  require(again.has_value() && *again == *event);

  const auto digit = digit_for_event(event->event);
  require(digit.has_value() == (event->event <= TelephoneEvent::kFlashEvent));
  if (digit) require(event_for_digit(*digit) == event->event);

  // An event built by hand: a volume past 6 bits is refused, anything else round-trips.
  TelephoneEvent made{bytes[0], (bytes[1] & 1) != 0, bytes[2],
                      static_cast<std::uint16_t>(bytes[3])};
  auto made_bytes = serialize_telephone_event(made);
  require(made_bytes.has_value() == (made.volume <= TelephoneEvent::kMaxVolume));
  if (made_bytes) require(parse_telephone_event(*made_bytes).value() == made);
}

// Tracks the notices: Began and Ended alternate, each Ended closing the press just begun.
class NoticeChecker {
 public:
  void check(const std::vector<DigitNotice>& notices, std::size_t from) {
    for (std::size_t i = from; i < notices.size(); ++i) {
      const DigitNotice& notice = notices[i];
      require(notice.event.source == DigitSource::Rfc4733);
      if (notice.phase == DigitPhase::Began) {
        require(!open_.has_value());
        require(event_for_digit(notice.event.digit).has_value());
        require(notice.event.duration_ms == 0);
        open_ = notice.event;
        ++began_;
      } else {
        require(open_.has_value());
        require(notice.event.digit == open_->digit && notice.event.start_ms == open_->start_ms);
        open_.reset();
        ++ended_;
      }
      require(ended_ <= began_);
    }
  }
  bool pressing() const { return open_.has_value(); }

 private:
  std::optional<DigitEvent> open_;
  std::uint64_t began_ = 0;
  std::uint64_t ended_ = 0;
};

void check_receiver(FuzzInput& in) {
  const std::uint8_t rate_choice = in.u8();
  static constexpr std::array<std::uint32_t, 4> kRates = {8000, 16000, 48000, 0};
  const std::uint32_t clock_rate =
      rate_choice < 0xf0 ? kRates[rate_choice % kRates.size()] : in.u32();  // any, 0 included
  const std::int64_t end_timeout = 1 + in.u16() % 2000;
  TelephoneEventReceiver receiver(clock_rate, end_timeout);

  NoticeChecker checker;
  std::vector<DigitNotice> notices;
  std::int64_t now = 1'000'000;
  std::int64_t latest = now;
  std::uint32_t timestamp = in.u32();
  while (!in.empty()) {
    const std::uint8_t op = in.u8();
    // Times wander both ways a little (reordering, clock steps), never without bound.
    now += static_cast<std::int16_t>(in.u16());
    latest = std::max(latest, now);
    const std::size_t before = notices.size();
    if (op & 1) {
      std::size_t ended = receiver.on_tick(now, notices);
      require(ended == notices.size() - before && ended <= 1);
      checker.check(notices, before);
      // Past its deadline a press is over.
      if (!checker.pressing()) require(!receiver.next_deadline_ms().has_value());
      continue;
    }
    // Mostly the same press or its neighbours, sometimes anywhere.
    switch ((op >> 1) & 3) {
      case 0:
        break;
      case 1:
        timestamp += in.u8();
        break;
      case 2:
        timestamp += 0xffff;  // the next segment of a long press
        break;
      case 3:
        timestamp = in.u32();
        break;
    }
    TelephoneEventPacket packet;
    packet.rtp_timestamp = timestamp;
    packet.marker = (op & 0x08) != 0;
    packet.arrival_ms = now;
    // Usually one event, sometimes truncated or with a second event after it.
    const std::size_t length = (op & 0x30) == 0x30 ? in.u8() % 9 : 4;
    const auto payload = in.take(length);
    packet.payload = payload;
    auto result = receiver.on_packet(packet, notices);
    if (!result) {
      require(payload.size() < TelephoneEvent::kSize);
      require(notices.size() == before);
      continue;
    }
    require(*result == notices.size() - before && *result <= 3);
    checker.check(notices, before);
    require(checker.pressing() == receiver.next_deadline_ms().has_value());
    if (notices.size() > 4096) notices.clear();
  }
  // However the input ended, a tick far enough on closes any press left open.
  const std::size_t before = notices.size();
  receiver.on_tick(latest + end_timeout, notices);
  checker.check(notices, before);
  require(!checker.pressing() && !receiver.next_deadline_ms().has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  check_codec(bytes);
  FuzzInput in(bytes);
  check_receiver(in);
  return 0;
}
