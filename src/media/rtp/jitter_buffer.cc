#include "media/rtp/jitter_buffer.h"

#include <algorithm>

namespace kolokol::media {
namespace {

// Extended sequence numbers and timestamps start here after each (re)sync: far enough from
// zero that reordering before the first packet never makes them negative.
constexpr std::int64_t kSequenceBase = std::int64_t{1} << 24;
constexpr std::int64_t kTimestampBase = std::int64_t{1} << 33;

// RFC 3550 A.1: a sequence number further ahead than this, or further behind than misorder,
// is a jump rather than loss or reordering.
constexpr std::int64_t kMaxDropout = 3000;
constexpr std::int64_t kMaxMisorder = 100;
// A packet due further from its arrival than this is on another timeline (the sender jumped).
constexpr std::int64_t kTimelineSlackUs = 1'000'000;
// Pops far off target in a row before a frame is dropped or inserted mid-talkspurt (1 s).
constexpr int kAdjustAfter = 50;

bool valid_config(const JitterBufferConfig& config) {
  using std::chrono::microseconds;
  return config.clock_rate_hz >= 1000 && config.clock_rate_hz <= 192000 &&
         config.pop_interval >= microseconds(5'000) &&
         config.pop_interval <= microseconds(120'000) && config.min_delay > microseconds(0) &&
         config.min_delay <= config.initial_delay && config.initial_delay <= config.max_delay &&
         config.max_delay <= microseconds(2'000'000) && config.capacity >= 2 &&
         config.capacity <= 1024 && config.max_payload_bytes >= 1 &&
         config.max_payload_bytes <= 65535;
}

}  // namespace

std::string_view push_outcome_name(PushOutcome outcome) {
  switch (outcome) {
    case PushOutcome::Stored:
      return "stored";
    case PushOutcome::Resynced:
      return "resynced";
    case PushOutcome::Duplicate:
      return "duplicate";
    case PushOutcome::Late:
      return "late";
    case PushOutcome::Suspect:
      return "suspect jump";
    case PushOutcome::BadPayload:
      return "bad payload";
  }
  return "unknown";
}

JitterPacket jitter_packet_from(const RtpPacket& packet) {
  return JitterPacket{.ssrc = packet.ssrc,
                      .sequence = packet.sequence,
                      .timestamp = packet.timestamp,
                      .marker = packet.marker,
                      .payload = packet.payload};
}

base::Expected<JitterBuffer, JitterBufferError> JitterBuffer::create(
    const JitterBufferConfig& config) {
  if (!valid_config(config)) return base::unexpected(JitterBufferError::BadConfig);
  return JitterBuffer(config);
}

JitterBuffer::JitterBuffer(const JitterBufferConfig& config)
    : config_(config),
      estimator_(config.min_delay, config.max_delay, config.initial_delay),
      slots_(config.capacity),
      payloads_(config.capacity * config.max_payload_bytes),
      pop_interval_us_(config.pop_interval.count()),
      default_step_(config.clock_rate_hz * config.pop_interval.count() / 1'000'000),
      step_(default_step_) {}

std::int64_t JitterBuffer::media_us(std::int64_t timestamp) const {
  return timestamp * 1'000'000 / config_.clock_rate_hz;
}

JitterBuffer::Slot& JitterBuffer::slot_for(std::int64_t sequence) {
  return slots_[static_cast<std::size_t>(sequence) % slots_.size()];
}

std::span<std::uint8_t> JitterBuffer::payload_for(std::int64_t sequence) {
  const std::size_t index = static_cast<std::size_t>(sequence) % slots_.size();
  return std::span<std::uint8_t>(payloads_).subspan(index * config_.max_payload_bytes,
                                                    config_.max_payload_bytes);
}

bool JitterBuffer::is_stored(std::int64_t sequence) {
  const Slot& slot = slot_for(sequence);
  return slot.sequence == sequence && slot.stored;
}

PushOutcome JitterBuffer::push(const JitterPacket& packet, std::chrono::microseconds arrival) {
  const std::int64_t arrival_us = arrival.count();
  if (packet.payload.empty() || packet.payload.size() > config_.max_payload_bytes) {
    ++stats_.rejected;
    return PushOutcome::BadPayload;
  }
  ++stats_.received;
  if (!have_stream_) {
    start_stream(packet, arrival_us);
    return PushOutcome::Stored;
  }
  if (packet.ssrc != ssrc_) {
    ++stats_.resyncs;
    start_stream(packet, arrival_us);
    return PushOutcome::Resynced;
  }

  const std::int64_t sequence =
      highest_sequence_ + static_cast<std::int16_t>(packet.sequence - highest_raw_sequence_);
  const std::int64_t timestamp =
      reference_timestamp_ + static_cast<std::int32_t>(packet.timestamp - reference_raw_timestamp_);
  if (is_jump(sequence, timestamp, arrival_us)) {
    // A marked jump is a sender announcing a new source; an unmarked one needs a second packet.
    if (packet.marker || (probation_ && packet.sequence == probation_sequence_)) {
      ++stats_.resyncs;
      start_stream(packet, arrival_us);
      return PushOutcome::Resynced;
    }
    probation_ = true;
    probation_sequence_ = static_cast<std::uint16_t>(packet.sequence + 1);
    ++stats_.suspect;
    return PushOutcome::Suspect;
  }

  if (slot_for(sequence).sequence == sequence) {
    ++stats_.duplicates;
    return PushOutcome::Duplicate;
  }
  estimator_.on_arrival(media_us(timestamp), arrival_us);
  if (sequence < next_sequence_) {
    const bool fits = highest_sequence_ - sequence < static_cast<std::int64_t>(slots_.size());
    if (playing_ || !fits) {
      ++stats_.late;
      return PushOutcome::Late;
    }
    next_sequence_ = sequence;  // reordered ahead of the first packet, before playout started
  }
  if (sequence < highest_sequence_) ++stats_.reordered;
  return store(packet, sequence, timestamp);
}

bool JitterBuffer::is_jump(std::int64_t sequence, std::int64_t timestamp,
                           std::int64_t arrival_us) const {
  const std::int64_t ahead = sequence - highest_sequence_;
  if (ahead > kMaxDropout || ahead < -kMaxMisorder) return true;
  if (sequence < next_sequence_) return false;  // late or duplicate: its timing is moot
  const std::int64_t lead = due_us(timestamp) - arrival_us;
  return lead > config_.max_delay.count() + kTimelineSlackUs || lead < -kTimelineSlackUs;
}

void JitterBuffer::start_stream(const JitterPacket& packet, std::int64_t arrival_us) {
  for (Slot& slot : slots_) slot = Slot{};
  buffered_ = 0;
  have_stream_ = true;
  ssrc_ = packet.ssrc;
  highest_raw_sequence_ = packet.sequence;
  highest_sequence_ = kSequenceBase;
  reference_raw_timestamp_ = packet.timestamp;
  reference_timestamp_ = kTimestampBase;
  next_sequence_ = kSequenceBase;
  step_ = default_step_;
  playing_ = false;
  conceal_run_ = 0;
  off_target_run_ = 0;
  probation_ = false;

  estimator_.restart();
  estimator_.on_arrival(media_us(kTimestampBase), arrival_us);
  offset_us_ = arrival_us - media_us(kTimestampBase) + estimator_.target().count();
  anchored_sequence_ = kSequenceBase;
  store(packet, kSequenceBase, kTimestampBase);
}

PushOutcome JitterBuffer::store(const JitterPacket& packet, std::int64_t sequence,
                                std::int64_t timestamp) {
  if (sequence >= next_sequence_ + static_cast<std::int64_t>(slots_.size())) {
    make_room_for(sequence);
  }
  Slot& slot = slot_for(sequence);
  std::copy(packet.payload.begin(), packet.payload.end(), payload_for(sequence).begin());
  slot = Slot{.sequence = sequence,
              .timestamp = timestamp,
              .stored = true,
              .marker = packet.marker,
              .size = static_cast<std::uint16_t>(packet.payload.size())};
  ++buffered_;
  if (sequence > highest_sequence_) {
    highest_sequence_ = sequence;
    highest_raw_sequence_ = packet.sequence;
    reference_timestamp_ = timestamp;
    reference_raw_timestamp_ = packet.timestamp;
  }
  // The packet duration, from a neighbour in the same talkspurt (a marker follows a silence
  // whose length says nothing about packet size). Up to 60 ms: longer is a gap, not a packet.
  const Slot& previous = slot_for(sequence - 1);
  if (!packet.marker && previous.sequence == sequence - 1) {
    const std::int64_t step = timestamp - previous.timestamp;
    if (step > 0 && step <= config_.clock_rate_hz * 60 / 1000) step_ = step;
  }
  return PushOutcome::Stored;
}

void JitterBuffer::make_room_for(std::int64_t sequence) {
  const auto capacity = static_cast<std::int64_t>(slots_.size());
  const std::int64_t new_next = sequence - capacity + 1;
  const std::int64_t scan_end = std::min(new_next, next_sequence_ + capacity);
  for (std::int64_t s = next_sequence_; s < scan_end; ++s) {
    Slot& slot = slot_for(s);
    if (slot.sequence == s && slot.stored) {
      slot.stored = false;
      --buffered_;
      ++stats_.overflow_dropped;
    } else {
      ++stats_.lost;
    }
  }
  stats_.lost += static_cast<std::uint64_t>(new_next - scan_end);
  next_sequence_ = new_next;
}

bool JitterBuffer::talkspurt_starts_at(const Slot& slot) const {
  if (slot.marker) return true;
  // Silence suppression without a marker: the timestamp moved more than the sequence did.
  return playing_ &&
         slot.timestamp - last_timestamp_ > (slot.sequence - last_sequence_) * step_ + step_ / 2;
}

JitterFrame JitterBuffer::pop(std::chrono::microseconds now) {
  if (!have_stream_) return {};
  const std::int64_t now_us = now.count();
  // Due within half a pop interval counts as due, so a caller's timer running a little early
  // does not turn every other pop into Empty.
  const std::int64_t horizon = now_us + pop_interval_us_ / 2;

  Slot& slot = slot_for(next_sequence_);
  if (slot.sequence == next_sequence_ && slot.stored) {
    if (anchored_sequence_ != next_sequence_ && talkspurt_starts_at(slot)) {
      // A talkspurt starts: apply the target delay, but never schedule it in the past.
      offset_us_ = std::max(estimator_.floor_transit_us() + estimator_.target().count(),
                            now_us - media_us(slot.timestamp));
      anchored_sequence_ = next_sequence_;
      off_target_run_ = 0;
    }
    if (due_us(slot.timestamp) > horizon) return {};

    const std::int64_t off_target = current_delay_us() - estimator_.target().count();
    const std::int64_t far = 3 * pop_interval_us_;
    if (off_target > far) {
      off_target_run_ = std::max(off_target_run_, 0) + 1;
    } else if (off_target < -far) {
      off_target_run_ = std::min(off_target_run_, 0) - 1;
    } else {
      off_target_run_ = 0;
    }
    if (off_target_run_ >= kAdjustAfter && is_stored(next_sequence_ + 1)) {
      // Far too much delay for a while, in continuous speech: skip one frame.
      off_target_run_ = 0;
      slot.stored = false;
      --buffered_;
      ++stats_.delay_dropped;
      offset_us_ -= media_us(slot_for(next_sequence_ + 1).timestamp) - media_us(slot.timestamp);
      last_sequence_ = next_sequence_;
      last_timestamp_ = slot.timestamp;
      ++next_sequence_;
      return deliver(slot_for(next_sequence_));
    }
    if (off_target_run_ <= -kAdjustAfter) {
      // Far too little delay for a while: play one concealed frame and wait one more interval.
      off_target_run_ = 0;
      offset_us_ += pop_interval_us_;
      return conceal();
    }
    return deliver(slot);
  }

  if (buffered_ > 0) {
    // The next packet is missing but later ones are here: it is lost once its time has come.
    const std::int64_t end = next_sequence_ + static_cast<std::int64_t>(slots_.size());
    std::int64_t later = next_sequence_ + 1;
    while (later < end && !is_stored(later)) ++later;
    if (later == end) return {};  // cannot happen: every stored packet lies within capacity
    const std::int64_t expected = slot_for(later).timestamp - (later - next_sequence_) * step_;
    if (due_us(expected) > horizon) return {};
    return declare_lost(expected);
  }

  // Underrun: nothing buffered. Conceal a few frames (the packet may only be delayed), adding
  // delay as we go, then fall silent: the stream has paused or ended.
  if (!playing_) return {};
  const std::int64_t expected = last_timestamp_ + (next_sequence_ - last_sequence_) * step_;
  if (due_us(expected) > horizon) return {};
  if (conceal_run_ >= kMaxConceal ||
      current_delay_us() + pop_interval_us_ > config_.max_delay.count()) {
    return {};
  }
  ++conceal_run_;
  offset_us_ += pop_interval_us_;
  return conceal();
}

JitterFrame JitterBuffer::deliver(Slot& slot) {
  slot.stored = false;
  --buffered_;
  playing_ = true;
  conceal_run_ = 0;
  last_sequence_ = slot.sequence;
  last_timestamp_ = slot.timestamp;
  next_sequence_ = slot.sequence + 1;
  return JitterFrame{
      .kind = PopKind::Frame,
      .payload = payload_for(slot.sequence).first(slot.size),
      .sequence =
          static_cast<std::uint16_t>(highest_raw_sequence_ + (slot.sequence - highest_sequence_)),
      .timestamp = static_cast<std::uint32_t>(reference_raw_timestamp_ +
                                              (slot.timestamp - reference_timestamp_)),
      .marker = slot.marker,
      .samples = static_cast<std::uint32_t>(step_),
  };
}

JitterFrame JitterBuffer::declare_lost(std::int64_t timestamp) {
  ++stats_.lost;
  playing_ = true;
  const std::int64_t sequence = next_sequence_;
  last_sequence_ = sequence;
  last_timestamp_ = timestamp;
  ++next_sequence_;
  return JitterFrame{
      .kind = PopKind::Lost,
      .sequence =
          static_cast<std::uint16_t>(highest_raw_sequence_ + (sequence - highest_sequence_)),
      .timestamp =
          static_cast<std::uint32_t>(reference_raw_timestamp_ + (timestamp - reference_timestamp_)),
      .samples = static_cast<std::uint32_t>(step_),
  };
}

JitterFrame JitterBuffer::conceal() {
  ++stats_.concealed;
  return JitterFrame{.kind = PopKind::Conceal, .samples = static_cast<std::uint32_t>(step_)};
}

std::int64_t JitterBuffer::current_delay_us() const {
  return offset_us_ - estimator_.floor_transit_us();
}

JitterBufferStats JitterBuffer::stats() const {
  JitterBufferStats stats = stats_;
  stats.current_delay = std::chrono::microseconds(have_stream_ ? current_delay_us() : 0);
  stats.target_delay = estimator_.target();
  stats.jitter = estimator_.jitter();
  return stats;
}

}  // namespace kolokol::media
