// libFuzzer target for the jitter buffer, driven by a script carved from the input: packets of
// any SSRC, sequence, timestamp, marker and size arriving at times that may go backwards, and
// pops at increasing times. Whatever arrives, the buffer must stay within its capacity, hand out
// only what was pushed (under the sequence number and timestamp it was pushed with), account
// for every sequence number it skips, and fall silent within one tick when popped repeatedly.
// Build and run: scripts/fuzz.sh 60 jitter_buffer_fuzz
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "fuzz_input.h"
#include "media/rtp/jitter_buffer.h"

namespace {

using namespace kolokol::media;
using std::chrono::microseconds;

void require(bool condition) {
  if (!condition) std::abort();
}

// The payload of the packet (sequence, timestamp): a popped frame must carry exactly this for
// the sequence and timestamp it reports.
std::uint8_t payload_byte(std::uint16_t sequence, std::uint32_t timestamp, std::size_t i) {
  return static_cast<std::uint8_t>(sequence * 31u + timestamp * 7u + i * 13u + (timestamp >> 16));
}

JitterBufferConfig config_from(FuzzInput& in) {
  JitterBufferConfig config;
  static constexpr std::array<int, 4> kRates = {8000, 16000, 48000, 0};
  const std::uint8_t rate = in.u8();
  config.clock_rate_hz = kRates[rate % 4] != 0 ? kRates[rate % 4] : 1000 + in.u16() % 191001;
  static constexpr std::array<int, 4> kPopMs = {20, 10, 30, 0};
  const std::uint8_t pop = in.u8();
  config.pop_interval =
      microseconds(kPopMs[pop % 4] != 0 ? kPopMs[pop % 4] * 1000 : 5'000 + (pop >> 2) * 1'800);
  config.min_delay = microseconds(1'000 + in.u8() * 400);
  config.initial_delay = config.min_delay + microseconds(in.u8() * 1'000);
  config.max_delay = config.initial_delay + microseconds(in.u8() * 4'000);
  config.capacity = 2 + in.u8() % 63;
  config.max_payload_bytes = 1 + in.u16() % 400;
  return config;
}

struct Stream {
  std::uint32_t ssrc = 0x1000;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
};

class Driver {
 public:
  Driver(JitterBuffer buffer, const JitterBufferConfig& config)
      : buffer_(std::move(buffer)),
        config_(config),
        step_(static_cast<std::uint32_t>(config.clock_rate_hz * config.pop_interval.count() /
                                         1'000'000)) {}

  void push(FuzzInput& in, std::uint8_t op) {
    switch ((op >> 2) & 3) {
      case 1:
        stream_.ssrc ^= 1;  // flip between two sources
        break;
      case 3:
        stream_.ssrc = in.u32();
        break;
      default:
        break;
    }
    switch ((op >> 4) & 3) {
      case 0:  // the next packet
        stream_.sequence += 1;
        stream_.timestamp += step_;
        break;
      case 1: {  // reordered, lost or repeated nearby
        const auto delta = static_cast<std::int8_t>(in.u8());
        stream_.sequence += static_cast<std::uint16_t>(delta);
        stream_.timestamp += static_cast<std::uint32_t>(delta * static_cast<std::int64_t>(step_));
        break;
      }
      case 2:  // anywhere
        stream_.sequence = in.u16();
        stream_.timestamp = in.u32();
        break;
      case 3:  // after a silence, or with another packet duration
        stream_.sequence += 1;
        stream_.timestamp += in.u16();
        break;
    }
    const std::size_t size = in.u16() % (config_.max_payload_bytes + 2);  // 0 and max + 1 too
    payload_.resize(size);
    for (std::size_t i = 0; i < size; ++i) {
      payload_[i] = payload_byte(stream_.sequence, stream_.timestamp, i);
    }
    const JitterPacket packet{.ssrc = stream_.ssrc,
                              .sequence = stream_.sequence,
                              .timestamp = stream_.timestamp,
                              .marker = (op & 0x40) != 0,
                              .payload = payload_};
    // Arrivals jitter around the clock by up to a quarter second either way.
    const microseconds arrival(now_us_ + static_cast<std::int16_t>(in.u16()) * 8);
    const PushOutcome outcome = buffer_.push(packet, arrival);
    (void)push_outcome_name(outcome);
    const bool valid = size >= 1 && size <= config_.max_payload_bytes;
    require((outcome == PushOutcome::BadPayload) == !valid);
    if (valid) ++valid_pushes_;
    const JitterBufferStats stats = buffer_.stats();
    require(stats.received == valid_pushes_);
    require(stats.rejected == pushes_ + 1 - valid_pushes_);
    ++pushes_;
    if (outcome == PushOutcome::Stored || outcome == PushOutcome::Resynced) {
      require(buffer_.buffered() >= 1);
    }
    if (outcome == PushOutcome::Resynced) last_ = std::nullopt;
  }

  // One tick: the clock moves on by about a pop interval (or much more), then pop, and in a
  // burst pop again until Empty as a caller with short packets would.
  void tick(FuzzInput& in, std::uint8_t op) {
    now_us_ += config_.pop_interval.count() + in.u8() * 100;
    if (op & 0x80) now_us_ += in.u16() * 1'000;
    const bool burst = (op & 3) == 3;
    const int limit = burst ? 2 * static_cast<int>(config_.capacity) + 8 : 1;
    for (int i = 0; i < limit; ++i) {
      const JitterFrame frame = pop();
      if (frame.kind == PopKind::Empty) return;
    }
    require(!burst);  // a burst that never runs dry would spin its caller forever
  }

  void check_capacity() const { require(buffer_.buffered() <= config_.capacity); }

 private:
  JitterFrame pop() {
    const JitterBufferStats before = buffer_.stats();
    const JitterFrame frame = buffer_.pop(microseconds(now_us_));
    const JitterBufferStats after = buffer_.stats();
    check_capacity();
    switch (frame.kind) {
      case PopKind::Frame:
        require(!frame.payload.empty() && frame.payload.size() <= config_.max_payload_bytes);
        for (std::size_t i = 0; i < frame.payload.size(); ++i) {
          require(frame.payload[i] == payload_byte(frame.sequence, frame.timestamp, i));
        }
        check_continuity(frame, after);
        break;
      case PopKind::Lost:
        require(frame.samples > 0 && frame.payload.empty());
        require(after.lost == before.lost + 1);
        ++lost_results_;
        check_continuity(frame, after);
        break;
      case PopKind::Conceal:
        require(frame.samples > 0 && frame.payload.empty());
        require(after.concealed == before.concealed + 1);
        break;
      case PopKind::Empty:
        break;
    }
    return frame;
  }

  // Between two results of one stream, every sequence number is either handed out or counted
  // as dropped (overflow, delay shrinking) or lost without a Lost result (skipped to make room).
  void check_continuity(const JitterFrame& frame, const JitterBufferStats& stats) {
    if (last_ && stats.resyncs == last_->resyncs) {
      const std::uint64_t skipped = (stats.overflow_dropped - last_->overflow_dropped) +
                                    (stats.delay_dropped - last_->delay_dropped) +
                                    (stats.lost - last_->lost) -
                                    (lost_results_ - last_->lost_results);
      require(static_cast<std::uint16_t>(frame.sequence - last_->sequence) ==
              static_cast<std::uint16_t>(1 + skipped));
    }
    last_ = Last{frame.sequence,      stats.resyncs, stats.overflow_dropped,
                 stats.delay_dropped, stats.lost,    lost_results_};
  }

  struct Last {
    std::uint16_t sequence;
    std::uint64_t resyncs;
    std::uint64_t overflow_dropped;
    std::uint64_t delay_dropped;
    std::uint64_t lost;
    std::uint64_t lost_results;
  };

  JitterBuffer buffer_;
  JitterBufferConfig config_;
  std::uint32_t step_;
  Stream stream_;
  std::vector<std::uint8_t> payload_;
  std::int64_t now_us_ = 1'000'000'000;
  std::uint64_t pushes_ = 0;
  std::uint64_t valid_pushes_ = 0;
  std::uint64_t lost_results_ = 0;
  std::optional<Last> last_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(std::span<const std::uint8_t>(data, size));
  const JitterBufferConfig config = config_from(in);
  auto buffer = JitterBuffer::create(config);
  require(buffer.has_value());  // config_from() only builds valid configurations
  Driver driver(std::move(*buffer), config);
  while (!in.empty()) {
    const std::uint8_t op = in.u8();
    if ((op & 3) < 2) {
      driver.push(in, op);
    } else {
      driver.tick(in, op);
    }
    driver.check_capacity();
  }
  return 0;
}
