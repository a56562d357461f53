#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "media/codec/codec_factory.h"
#include "media/engine/decoder_bank.h"
#include "media/engine/payload_map.h"
#include "media/rtp/rtp_packet.h"

namespace kolokol::media {

class JitterBuffer;  // only held by pointer here

struct LegPlayoutConfig {
  std::uint32_t output_rate = 8000;
  CodecOptions codec_options;
  std::uint32_t jitter_initial_delay_ms = 60;
  std::uint32_t jitter_max_delay_ms = 200;
  std::size_t jitter_capacity = 32;  // packets
};

// Decoded audio of one leg, and where it goes on the recording clock.
struct PlayoutFrame {
  std::uint64_t time = 0;             // output-rate samples since the recording started
  std::span<const std::int16_t> pcm;  // valid until the next pop() or push(); may be empty
};

struct LegPlayoutStats {
  std::uint64_t packets = 0;      // audio packets pushed
  std::uint64_t ignored = 0;      // telephone-events, comfort noise, unknown types
  std::uint64_t undecodable = 0;  // refused by the decoder: concealed instead
  std::uint64_t concealed = 0;    // lost or late packets played as concealment
  std::uint64_t resyncs = 0;      // jitter buffers restarted for a new RTP clock rate
};

// One leg of a recorded call played out as a phone would: its audio packets through a jitter
// buffer, decoded (lost ones concealed) and converted to the recording rate. Frames are placed
// on the recording clock by when they are played, i.e. by the worker's clock, not by the leg's
// RTP timestamps, which have nothing in common with the other leg's.
//
// A frame normally follows the previous one sample for sample, so the worker's tick jitter does
// not tear the audio; when the leg resumes after a pause, or has drifted more than a few frames
// from the clock, it is placed at the current time again.
//
// Single-threaded. The jitter buffer is made for the first packet and again only when the RTP
// clock rate changes (a codec switch); decoders on the first packet of their codec.
class LegPlayout {
 public:
  explicit LegPlayout(const LegPlayoutConfig& config);
  ~LegPlayout();
  LegPlayout(LegPlayout&&) noexcept;
  LegPlayout& operator=(LegPlayout&&) noexcept;

  void push(const RtpPacket& packet, const PayloadMap& map, std::int64_t arrival_ms);
  // The next frame due at `now_ms`, whose place on the recording clock is `now_time` unless it
  // continues the previous frame; nothing when there is nothing to play. Call until nothing.
  std::optional<PlayoutFrame> pop(std::int64_t now_ms, std::uint64_t now_time);

  const LegPlayoutStats& stats() const { return stats_; }

 private:
  // What the payload type of each buffered sequence number said, since the jitter buffer only
  // keeps payloads; larger than any jitter buffer capacity used.
  static constexpr std::size_t kCodecRing = 256;
  struct RingEntry {
    std::uint16_t sequence = 0;
    CodecId codec = CodecId::Pcmu;
  };

  bool restart_for(std::uint32_t clock_rate);
  std::optional<CodecId> codec_of(std::uint16_t sequence) const;
  std::span<const std::int16_t> play(std::span<const std::int16_t> pcm);

  LegPlayoutConfig config_;
  std::unique_ptr<JitterBuffer> jitter_;
  std::uint32_t clock_rate_ = 0;
  DecoderBank decoders_;
  std::array<RingEntry, kCodecRing> codecs_{};
  std::optional<std::uint64_t> next_time_;
  LegPlayoutStats stats_;
};

}  // namespace kolokol::media
