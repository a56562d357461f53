#pragma once

#include <cstdint>

#include "media/codec/audio_codec.h"

namespace kolokol::media {

// How our opus encoder runs. RFC 7587 fixes the RTP clock at 48000 whatever the PCM rate, so the
// rate is purely local: pick the one the call's audio already has and nothing is resampled.
struct OpusOptions {
  std::uint32_t sample_rate = 48000;  // 8000, 12000, 16000, 24000 or 48000
  std::uint32_t bitrate = 32000;      // bit/s, 6000-510000
  // Loss the encoder should expect (0-100). With in-band FEC on, this is what makes the encoder
  // spend bits on a low-rate copy of each frame in the next packet.
  std::uint8_t expected_loss_percent = 10;
};

// Encoder: VOIP application, in-band FEC on, one mono packet per call of 2.5, 5, 10, 20, 40 or
// 60 ms of PCM. Refuses options outside the ranges above (BadOption).
base::Expected<AudioEncoderPtr, CodecError> make_opus_encoder(const OpusOptions& options);
// Decoder at `sample_rate` (same choices): decodes, conceals with opus PLC, and recovers a lost
// packet from the FEC data of the next one (recover_from_next).
base::Expected<AudioDecoderPtr, CodecError> make_opus_decoder(std::uint32_t sample_rate);

}  // namespace kolokol::media
