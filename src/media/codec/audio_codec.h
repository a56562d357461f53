#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "base/expected.h"
#include "media/codec/codec_error.h"
#include "media/codec/codec_info.h"

namespace kolokol::media {

// Encoders and decoders work on 16-bit signed linear PCM, mono, at their sample_rate() (which is
// CodecInfo::sample_rate except for opus, whose rate is chosen at creation). One instance carries
// one direction of one stream: it keeps codec state between calls and is not thread-safe. Every
// buffer is allocated when the instance is made; encode, decode and conceal do not allocate.
class AudioEncoder {
 public:
  virtual ~AudioEncoder() = default;

  virtual CodecId codec() const = 0;
  virtual std::uint32_t sample_rate() const = 0;
  // PCM samples in one default packet (20 ms) at sample_rate().
  std::size_t samples_per_frame() const {
    return std::size_t{sample_rate()} / 1000 * codec_info(codec()).packet_ms;
  }
  // Bytes one packet of `samples` PCM samples may take: exact for the constant-rate codecs, an
  // upper bound for opus. 0 when `samples` is not a length encode() accepts.
  virtual std::size_t max_payload_size(std::size_t samples) const = 0;

  // Encodes one packet's worth of PCM (a whole number of codec frames; for opus one of the
  // 2.5/5/10/20/40/60 ms durations). Returns the payload size; 0 is a legal answer for G.729 with
  // VAD on, meaning "nothing to send" (discontinuous transmission).
  virtual base::Expected<std::size_t, CodecError> encode(std::span<const std::int16_t> pcm,
                                                         std::span<std::uint8_t> out) = 0;
};
using AudioEncoderPtr = std::unique_ptr<AudioEncoder>;

class AudioDecoder {
 public:
  virtual ~AudioDecoder() = default;

  virtual CodecId codec() const = 0;
  virtual std::uint32_t sample_rate() const = 0;
  std::size_t samples_per_frame() const {
    return std::size_t{sample_rate()} / 1000 * codec_info(codec()).packet_ms;
  }

  // PCM samples `payload` decodes to, or why it is unacceptable, without decoding it.
  virtual base::Expected<std::size_t, CodecError> decoded_samples(
      std::span<const std::uint8_t> payload) const = 0;

  // Decodes one RTP payload into `out`; returns the samples written. Empty, malformed or
  // wrongly sized payloads are refused (BadPayload), as is an `out` that cannot hold them all.
  base::Expected<std::size_t, CodecError> decode(std::span<const std::uint8_t> payload,
                                                 std::span<std::int16_t> out);

  // Samples conceal() and recover_from_next() produce: the duration of the last packet decoded
  // (a loss is assumed to look like its neighbours), one default packet before any.
  std::size_t concealment_samples() const {
    return last_packet_samples_ != 0 ? last_packet_samples_ : samples_per_frame();
  }

  // Stands in for one lost packet. How depends on the codec:
  //  - opus: the decoder's own PLC;
  //  - G.729: the decoder's frame-erasure procedure (G.729 4.4);
  //  - G.711, G.722, GSM: pitch-period repetition fading to silence after 50 ms (spandsp's
  //    G.711 Appendix I-style concealer; for G.722 it runs at 16 kHz, so it looks for pitch
  //    between 133 and 400 Hz rather than 66-200 Hz).
  base::Expected<std::size_t, CodecError> conceal(std::span<std::int16_t> out);

  // Opus only: rebuilds the lost packet from the in-band FEC copy that `next_payload` (the
  // packet after the loss) carries; the decoder falls back to PLC when it carries none. Decode
  // `next_payload` normally afterwards. Other codecs answer Unsupported.
  virtual bool has_fec() const { return false; }
  base::Expected<std::size_t, CodecError> recover_from_next(
      std::span<const std::uint8_t> next_payload, std::span<std::int16_t> out);

 protected:
  // Called with a payload decoded_samples() accepted and an `out` of exactly that many samples.
  virtual base::Expected<std::size_t, CodecError> decode_checked(
      std::span<const std::uint8_t> payload, std::span<std::int16_t> out) = 0;
  // Called with exactly concealment_samples() of room.
  virtual base::Expected<std::size_t, CodecError> conceal_checked(std::span<std::int16_t> out) = 0;
  virtual base::Expected<std::size_t, CodecError> recover_checked(
      std::span<const std::uint8_t> next_payload, std::span<std::int16_t> out);

 private:
  std::size_t last_packet_samples_ = 0;
};
using AudioDecoderPtr = std::unique_ptr<AudioDecoder>;

}  // namespace kolokol::media
