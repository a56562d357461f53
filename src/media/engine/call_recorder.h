#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "media/codec/codec_factory.h"
#include "media/engine/leg_playout.h"
#include "media/engine/payload_map.h"
#include "media/engine/relay_types.h"
#include "media/record/recording_handle.h"
#include "media/record/recording_request.h"
#include "media/record/recording_writer.h"
#include "media/record/stereo_aligner.h"
#include "media/rtp/rtp_packet.h"

namespace kolokol::media {

struct CallRecorderConfig {
  std::string path;
  RecordingFileFormat file_format = RecordingFileFormat::Wav;
  std::uint32_t sample_rate = 8000;  // 16000 for wideband calls; any rate the resampler knows
  bool mono = false;                 // both legs mixed into one channel instead of stereo
  SinkOptions sink;
  std::size_t queue_blocks = 100;  // between the worker and the writer thread
  std::uint32_t jitter_initial_delay_ms = 60;
  std::uint32_t jitter_max_delay_ms = 200;
  RecordingCompletion on_complete;  // on the writer thread, once the file is finished
};

enum class CallRecorderError : std::uint8_t {
  BadRate,  // not a rate the resampler converts to
};
std::string_view call_recorder_error_name(CallRecorderError error);

struct CallRecorderStats {
  std::uint64_t blocks_queued = 0;
  std::uint64_t blocks_dropped = 0;  // the writer was behind, or the recording had ended
  std::array<LegPlayoutStats, 2> legs;
  AlignerStats aligner;
};

// Records a relayed two-party call: the caller (leg A) on the left channel, the callee (leg B)
// on the right, or both mixed into mono. The relay's worker feeds it every RTP packet each leg
// sends and a tick every 20 ms; each leg is played out through its own jitter buffer and
// decoders (LegPlayout) and the two are joined by a StereoAligner on the recording clock, whose
// time is the worker's clock since start(): both legs line up by wall time, and a leg that
// sends nothing is silence. Blocks go to a RecordingHandle of the caller's RecordingWriter,
// which writes the file on its own thread; a block the writer has no room for is dropped and
// counted, never waited for.
//
// Single-threaded (the relay's worker), no locks, no I/O; buffers are made by start(), jitter
// buffers and decoders on first use. Not movable: the aligner calls back into it.
class CallRecorder {
 public:
  static base::Expected<std::unique_ptr<CallRecorder>, CallRecorderError> start(
      RecordingWriter& writer, CallRecorderConfig config, std::int64_t now_ms);
  ~CallRecorder();  // stops at the last tick's time if stop() was not called
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;

  void on_packet(RelaySide leg, const RtpPacket& packet, const PayloadMap& map,
                 std::int64_t arrival_ms);
  void on_tick(std::int64_t now_ms);
  // Ends the recording at `now_ms`: what is still in the jitter buffers is not played, the
  // file holds exactly the time from start() to now. The writer finishes it and reports
  // through on_complete. Later calls do nothing.
  void stop(std::int64_t now_ms);

  bool stopped() const { return stopped_; }
  CallRecorderStats stats() const;

 private:
  CallRecorder(const CallRecorderConfig& config, std::int64_t now_ms);
  std::uint64_t recording_time(std::int64_t now_ms) const;
  void play(int leg, std::int64_t now_ms, std::uint64_t now_time);
  void write(const AlignedBlock& block);

  std::uint32_t sample_rate_;
  std::int64_t start_ms_;
  std::int64_t last_tick_ms_;
  std::array<LegPlayout, 2> legs_;
  StereoAligner aligner_;
  RecordingHandle handle_;
  bool stopped_ = false;
  std::uint64_t blocks_queued_ = 0;
  std::uint64_t blocks_dropped_ = 0;
};

}  // namespace kolokol::media
