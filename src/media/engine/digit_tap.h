#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "media/codec/codec_factory.h"
#include "media/dsp/digit_event.h"
#include "media/dsp/dtmf_detector.h"
#include "media/dsp/telephone_event_receiver.h"
#include "media/engine/decoder_bank.h"
#include "media/engine/payload_map.h"
#include "media/rtp/rtp_packet.h"

namespace kolokol::media {

struct DigitTapConfig {
  // Also look for DTMF tones in the audio (costs a decode per packet). RFC 4733 events are
  // always read.
  bool inband = true;
  // A phone that sends a key both as RFC 4733 events and as tones in the audio must give one
  // digit: a press from one source is dropped when the other source has the same key under way,
  // or ended it this recently.
  std::int64_t duplicate_window_ms = 100;
  std::int64_t event_end_timeout_ms = TelephoneEventReceiver::kDefaultEndTimeoutMs;
  // Opus decodes straight to the detector's 8 kHz: nothing above 4 kHz matters for DTMF, and it
  // spares a 48 kHz decode and a resampling per packet.
  CodecOptions codec_options{.opus = {.sample_rate = DtmfDetector::kSampleRate}};
};

struct DigitTapStats {
  std::uint64_t unknown_payload_type = 0;  // packets of a type the leg's SDP does not name
  std::uint64_t bad_event_payload = 0;     // telephone-event packets that are not one
  std::uint64_t undecodable = 0;           // audio the decoder refused (in-band only)
  std::uint64_t duplicates_dropped = 0;    // presses already reported by the other source
};

// The digits one leg sends, whichever way it sends them, as one stream of Began/Ended notices.
// The media worker feeds it every RTP packet the leg sends, with the leg's payload map:
// telephone-events go to an RFC 4733 receiver, audio (when in-band detection is on) is decoded,
// brought to 8 kHz and scanned by a DTMF detector.
//
// Every notice is timed on the worker's clock (the arrival times it is given): the detector
// counts stream time, which is mapped back by taking the end of each packet's audio as its
// arrival time. There is no jitter buffer: packets are decoded as they come, which a detector
// confirming over 25 ms tolerates.
//
// Single-threaded, no locks; buffers are made at construction and decoders on first use of
// their codec, so nothing allocates per packet after warm-up (given an `out` with capacity).
class DigitTap {
 public:
  explicit DigitTap(const DigitTapConfig& config = {});

  // Appends the notices this packet causes to `out`; returns how many.
  std::size_t on_packet(const RtpPacket& packet, std::int64_t arrival_ms, const PayloadMap& map,
                        std::vector<DigitNotice>& out);
  // Ends an RFC 4733 press whose end packets were all lost. Returns the notices appended.
  std::size_t on_tick(std::int64_t now_ms, std::vector<DigitNotice>& out);
  std::optional<std::int64_t> next_deadline_ms() const { return receiver_.next_deadline_ms(); }

  const DigitTapStats& stats() const { return stats_; }

 private:
  // One way digits arrive, and what it is pressing now, for de-duplication.
  struct Source {
    char active = 0;       // the key of the press under way, 0 when none
    bool dropped = false;  // that press duplicates the other source's: its notices go
    char last_digit = 0;   // the key of the last press that ended
    std::int64_t last_end_ms = 0;
  };

  void on_event_packet(const RtpPacket& packet, std::int64_t arrival_ms, std::uint32_t rate);
  void on_audio_packet(const RtpPacket& packet, std::int64_t arrival_ms, CodecId codec);
  // Moves `notices` to `out`, dropping what duplicates the other source.
  std::size_t pass(std::vector<DigitNotice>& notices, Source& self, const Source& other,
                   std::int64_t now_ms, std::vector<DigitNotice>& out);

  DigitTapConfig config_;
  TelephoneEventReceiver receiver_;
  std::uint32_t event_rate_ = 8000;
  DtmfDetector detector_;
  DecoderBank decoders_;
  Source events_;
  Source tones_;
  std::int64_t tone_start_ms_ = 0;  // worker time of the in-band press under way
  std::vector<DigitNotice> found_;  // scratch, reserved at construction
  DigitTapStats stats_;
};

}  // namespace kolokol::media
