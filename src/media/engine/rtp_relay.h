#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "media/engine/call_recorder.h"
#include "media/engine/digit_tap.h"
#include "media/engine/media_worker.h"
#include "media/engine/packet_batch.h"
#include "media/engine/payload_map.h"
#include "media/engine/port_allocator.h"
#include "media/engine/relay_types.h"
#include "media/engine/transcoding_path.h"
#include "media/rtp/rtp_receive_stats.h"

namespace kolokol::media {

// The worker side of an anchored call: two socket pairs, one per leg, and packets copied from
// one leg's sockets to the other leg's peer without decoding (both legs use the same codec,
// because the signalling side passes the codec negotiation through). Symmetric RTP: each
// socket latches to the address media really comes from, which is what reaches a phone
// behind NAT; the SDP address is used until then, and a packet from the SDP address always
// wins. Lives on one worker and is touched only there.
class RtpRelay final : public PollHandler, public TickHandler {
 public:
  struct Options {
    std::chrono::milliseconds rtp_timeout{0};
    // A latched source silent this long may be replaced by another port of the same address
    // (a NAT rebinding) or of the address the SDP named.
    std::chrono::milliseconds relatch_after{std::chrono::seconds(1)};
    // Key presses: RFC 4733 events always; DTMF tones in the audio when asked (a decode per
    // packet).
    bool inband_dtmf = false;
  };

  RtpRelay(MediaWorker& worker, PacketBatch& batch, std::array<RtpSocketPair, 2> sockets,
           std::shared_ptr<std::array<RelayLegCounters, 2>> counters, RelayNotify notify,
           Options options);
  ~RtpRelay();
  RtpRelay(const RtpRelay&) = delete;
  RtpRelay& operator=(const RtpRelay&) = delete;

  bool attach();  // registers the sockets and the tick with the worker
  void set_remote(RelaySide side, const RelayRemote& remote);
  // Transcodes what each side sends (null: copied unchanged, the legs share a codec).
  void set_transcoding(std::unique_ptr<TranscodingPath> from_a,
                       std::unique_ptr<TranscodingPath> from_b);
  // Records both legs from now until the relay ends (or stop_recording).
  void start_recording(RecordingWriter& writer, CallRecorderConfig config);
  void stop_recording();

  void on_readable(std::uint32_t tag) override;
  void on_tick(MediaClock::time_point now) override;

 private:
  struct Latch {
    UdpAddress source;
    bool latched = false;
    MediaClock::time_point last{};
  };
  struct Leg {
    RtpSocketPair sockets;
    std::optional<RelayRemote> remote;
    Latch rtp_latch;
    Latch rtcp_latch;
    RtpReceiveStats receive;
    std::uint32_t ssrc = 0;
    bool have_ssrc = false;
    std::uint64_t lost_before = 0;  // of earlier SSRCs
    MediaClock::time_point last_heard{};
    bool timeout_reported = false;
    std::unique_ptr<TranscodingPath> transcoding;  // for what this leg sends
    PayloadMap payloads;
    DigitTap digits;
  };

  void receive(RelaySide side, bool rtcp_socket);
  bool accept_source(Latch& latch, const UdpAddress& source, const UdpAddress* expected);
  bool take_rtp(Leg& leg, RelayLegCounters& counters, const std::uint8_t* data, std::size_t size);
  void take_rtcp(const Leg& leg, RelayLegCounters& counters, const std::uint8_t* data,
                 std::size_t size);
  // Key presses and recording: both need the whole packet, before transcoding rewrites it.
  void tap(RelaySide side, Leg& leg, const std::uint8_t* data, std::size_t size);
  void report_digits(RelaySide side);
  std::int64_t now_ms() const;
  const UdpAddress* rtp_destination(const Leg& leg) const;
  const UdpAddress* rtcp_destination(const Leg& leg) const;

  MediaWorker& worker_;
  PacketBatch& batch_;
  std::array<Leg, 2> legs_;
  std::shared_ptr<std::array<RelayLegCounters, 2>> counters_;
  RelayNotify notify_;
  Options options_;
  bool attached_ = false;
  std::unique_ptr<CallRecorder> recorder_;
  std::vector<DigitNotice> notices_;  // scratch
};

}  // namespace kolokol::media
