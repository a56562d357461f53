#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "media/rtp/jitter_delay_estimator.h"
#include "media/rtp/rtp_packet.h"

namespace kolokol::media {

// An adaptive jitter buffer for one received RTP stream on a leg that terminates media
// (playback, recording, mixing, transcoding). push() every packet as it arrives; pop() once per
// pop_interval (20 ms) and feed the result to the decoder: a Frame to decode, Lost or Conceal
// to conceal (PLC/FEC), or Empty to play nothing new.
//
// Time is the caller's: arrival and `now` are microseconds on any monotonic clock, so the
// buffer never reads a system clock and tests are deterministic.
//
// Playout: a packet with media time T (its extended RTP timestamp in microseconds) is due at
// T + offset, with offset = floor transit + delay (see JitterDelayEstimator). The delay is the
// estimator's target, applied
//  - at talkspurt starts (marker bit, or a timestamp gap larger than the sequence gap): the
//    silence before it absorbs the change;
//  - mid-talkspurt only when far off (over 3 pop intervals for 50 pops): one frame is dropped
//    to shrink, one Conceal inserted to grow;
//  - on underrun: when the next packet is due and nothing is buffered, up to kMaxConceal
//    Conceal results are returned, each adding one pop interval of delay.
//
// Frames are per packet: one pop() returns at most one packet. Packets of 10/30/40 ms work:
// longer packets give Empty on the pops in between (the decoder is still playing the last one),
// and for packets shorter than the pop interval the caller pops again in the same tick until
// Empty. Lost/Conceal carry the estimated packet duration in `samples`.
//
// Resync (flush and restart): on an SSRC change, or on a sequence/timestamp jump that carries
// the marker bit or is confirmed by the next packet continuing it (RFC 3550 A.1 probation); an
// unconfirmed jump is dropped as Suspect so one stray packet cannot flush a good stream.
//
// Memory is fixed at creation: `capacity` slots of `max_payload_bytes`. No allocation, no
// locks, no I/O after create(). Not thread-safe: one leg, one worker thread.
struct JitterBufferConfig {
  int clock_rate_hz = 8000;
  std::chrono::microseconds pop_interval{20'000};
  std::chrono::microseconds min_delay{20'000};
  std::chrono::microseconds max_delay{200'000};
  std::chrono::microseconds initial_delay{60'000};
  std::size_t capacity = 32;  // packets
  std::size_t max_payload_bytes = 1024;
};

enum class JitterBufferError : std::uint8_t { BadConfig };

// One received packet; the payload is copied by push().
struct JitterPacket {
  std::uint32_t ssrc = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  bool marker = false;
  std::span<const std::uint8_t> payload;
};
JitterPacket jitter_packet_from(const RtpPacket& packet);

enum class PushOutcome : std::uint8_t {
  Stored,
  Resynced,    // stored as the first packet of a new stream; the old one was flushed
  Duplicate,   // already buffered or played: ignored
  Late,        // its place was already played or declared lost: dropped
  Suspect,     // an unconfirmed sequence/timestamp jump: dropped
  BadPayload,  // empty, or larger than max_payload_bytes: dropped
};
std::string_view push_outcome_name(PushOutcome outcome);

enum class PopKind : std::uint8_t {
  Frame,    // decode `payload`
  Lost,     // the packet at `sequence` never came: conceal `samples`
  Conceal,  // underrun or delay growth, no packet skipped: conceal `samples`
  Empty,    // nothing to play (not started, silence between talkspurts, or mid-packet)
};

struct JitterFrame {
  PopKind kind = PopKind::Empty;
  std::span<const std::uint8_t> payload;  // Frame only; valid until the next push() or pop()
  std::uint16_t sequence = 0;             // Frame and Lost
  std::uint32_t timestamp = 0;            // Frame and Lost (estimated for Lost)
  bool marker = false;
  std::uint32_t samples = 0;  // estimated duration at the RTP clock rate (Lost and Conceal)
};

struct JitterBufferStats {
  std::uint64_t received = 0;  // packets pushed with a valid payload
  std::uint64_t lost = 0;      // places never filled (Lost results and skipped places)
  std::uint64_t late = 0;      // arrived after their place was played or declared lost
  std::uint64_t duplicates = 0;
  std::uint64_t reordered = 0;         // arrived after a later sequence number, still in time
  std::uint64_t overflow_dropped = 0;  // buffered packets dropped to make room
  std::uint64_t delay_dropped = 0;     // frames dropped to shrink the delay mid-talkspurt
  std::uint64_t concealed = 0;         // Conceal results
  std::uint64_t suspect = 0;           // unconfirmed jumps dropped
  std::uint64_t rejected = 0;          // bad payloads
  std::uint64_t resyncs = 0;
  std::chrono::microseconds current_delay{0};  // playout delay over the best-case arrival
  std::chrono::microseconds target_delay{0};
  std::chrono::microseconds jitter{0};  // RFC 3550 interarrival jitter
};

class JitterBuffer {
 public:
  static constexpr int kMaxConceal = 3;

  static base::Expected<JitterBuffer, JitterBufferError> create(const JitterBufferConfig& config);

  PushOutcome push(const JitterPacket& packet, std::chrono::microseconds arrival);
  JitterFrame pop(std::chrono::microseconds now);

  JitterBufferStats stats() const;
  std::size_t buffered() const { return buffered_; }

 private:
  struct Slot {
    std::int64_t sequence = -1;  // extended; -1: never used
    std::int64_t timestamp = 0;  // extended
    bool stored = false;         // waiting to be played (false once played or dropped)
    bool marker = false;
    std::uint16_t size = 0;
  };

  explicit JitterBuffer(const JitterBufferConfig& config);

  std::int64_t media_us(std::int64_t timestamp) const;
  std::int64_t due_us(std::int64_t timestamp) const { return media_us(timestamp) + offset_us_; }
  Slot& slot_for(std::int64_t sequence);
  std::span<std::uint8_t> payload_for(std::int64_t sequence);
  bool is_stored(std::int64_t sequence);

  void start_stream(const JitterPacket& packet, std::int64_t arrival_us);
  PushOutcome store(const JitterPacket& packet, std::int64_t sequence, std::int64_t timestamp);
  void make_room_for(std::int64_t sequence);
  bool is_jump(std::int64_t sequence, std::int64_t timestamp, std::int64_t arrival_us) const;

  bool talkspurt_starts_at(const Slot& slot) const;
  JitterFrame deliver(Slot& slot);
  JitterFrame declare_lost(std::int64_t timestamp);
  JitterFrame conceal();
  std::int64_t current_delay_us() const;

  JitterBufferConfig config_;
  JitterDelayEstimator estimator_;
  std::vector<Slot> slots_;
  std::vector<std::uint8_t> payloads_;
  JitterBufferStats stats_;
  std::int64_t pop_interval_us_;
  std::int64_t default_step_;

  bool have_stream_ = false;
  std::uint32_t ssrc_ = 0;
  std::uint16_t highest_raw_sequence_ = 0;
  std::int64_t highest_sequence_ = 0;
  std::uint32_t reference_raw_timestamp_ = 0;
  std::int64_t reference_timestamp_ = 0;
  std::int64_t next_sequence_ = 0;
  std::size_t buffered_ = 0;
  std::int64_t step_ = 0;  // timestamp increment per packet

  bool playing_ = false;  // something was delivered or declared lost since (re)start
  std::int64_t last_sequence_ = 0;
  std::int64_t last_timestamp_ = 0;
  std::int64_t offset_us_ = 0;
  std::int64_t anchored_sequence_ = -1;
  int conceal_run_ = 0;
  int off_target_run_ = 0;  // >0: pops far over target in a row; <0: far under

  bool probation_ = false;
  std::uint16_t probation_sequence_ = 0;  // the sequence that would confirm the jump
};

}  // namespace kolokol::media
