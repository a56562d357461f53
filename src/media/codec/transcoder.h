#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "media/codec/audio_codec.h"

namespace kolokol::media {

// Payloads of one codec in, payloads of another out, for two codecs that share a PCM rate
// (PCMU/PCMA/G.729/GSM at 8 kHz, opus at the rate of the other side). Resampling belongs to the
// DSP layer, so a pair with different rates is refused rather than resampled. There is no
// rebuffering either: each packet's duration must be one the encoder accepts (20 ms always is).
class Transcoder {
 public:
  // BadOption when the decoder's and encoder's sample rates differ.
  static base::Expected<Transcoder, CodecError> create(AudioDecoderPtr from, AudioEncoderPtr to);

  base::Expected<std::size_t, CodecError> transcode(std::span<const std::uint8_t> payload,
                                                    std::span<std::uint8_t> out);
  // A lost input packet: the decoder conceals it and the result is encoded.
  base::Expected<std::size_t, CodecError> transcode_loss(std::span<std::uint8_t> out);

  AudioDecoder& decoder() { return *from_; }
  AudioEncoder& encoder() { return *to_; }

 private:
  Transcoder(AudioDecoderPtr from, AudioEncoderPtr to);

  AudioDecoderPtr from_;
  AudioEncoderPtr to_;
  std::vector<std::int16_t> pcm_;  // the longest packet we take, allocated once
};

}  // namespace kolokol::media
