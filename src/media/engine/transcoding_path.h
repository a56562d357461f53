#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/expected.h"
#include "media/codec/audio_codec.h"
#include "media/codec/codec_info.h"
#include "media/dsp/resampler.h"

namespace kolokol::media {

// One leg's audio format as negotiated in its SDP.
struct LegCodec {
  CodecId codec = CodecId::Pcmu;
  std::uint8_t payload_type = 0;
  std::optional<std::uint8_t> telephone_event_type;  // RFC 4733 events on this leg
  std::uint32_t telephone_event_rate = 8000;         // their a=rtpmap clock
  bool operator==(const LegCodec&) const = default;
};

// One direction of a call whose legs share no codec: RTP of `from`'s codec in, RTP of `to`'s
// codec out. Decodes, converts the sample rate when the two differ, encodes 20 ms packets, and
// writes a new RTP header: our SSRC, the sender's sequence numbers shifted (so losses stay
// visible), the sender's timestamps converted to the output clock (so timing and gaps
// survive). RFC 4733 events are passed with the other leg's payload type and converted
// timestamps and durations, or dropped when that leg negotiated none. Everything is allocated
// at creation; transcode() does not allocate.
class TranscodingPath {
 public:
  static base::Expected<std::unique_ptr<TranscodingPath>, std::string> create(LegCodec from,
                                                                              LegCodec to);

  // Rewrites the RTP packet in `datagram` (size bytes, room for buffer.size()) in place and
  // returns the new size; 0 when nothing is to be sent (a packet of another payload type,
  // output still buffering, or a payload the decoder refuses).
  std::size_t transcode(std::span<std::uint8_t> buffer, std::size_t size);

  std::uint64_t refused() const { return refused_; }

 private:
  TranscodingPath(LegCodec from, LegCodec to, AudioDecoderPtr decoder, AudioEncoderPtr encoder,
                  std::optional<Resampler> resampler);
  std::uint32_t output_timestamp(std::uint32_t input_timestamp);
  std::size_t pass_event(std::span<std::uint8_t> buffer, std::size_t size);

  LegCodec from_;
  LegCodec to_;
  std::uint32_t in_clock_;
  std::uint32_t out_clock_;
  AudioDecoderPtr decoder_;
  AudioEncoderPtr encoder_;
  std::optional<Resampler> resampler_;
  std::vector<std::int16_t> decoded_;
  std::vector<std::int16_t> pending_;  // resampled PCM waiting for a whole output packet
  std::size_t pending_size_ = 0;
  std::uint32_t pending_start_ = 0;  // input timestamp of pending_'s first sample
  std::vector<std::uint8_t> encoded_;
  std::uint32_t ssrc_;
  bool started_ = false;
  std::uint32_t in_base_ = 0;
  std::uint32_t out_base_ = 0;
  std::uint64_t refused_ = 0;
};

}  // namespace kolokol::media
