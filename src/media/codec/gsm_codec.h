#pragma once

#include "media/codec/audio_codec.h"

namespace kolokol::media {

// GSM 06.10 full rate through libgsm, RTP framing of RFC 3551 4.5.8: 8 kHz PCM in 20 ms frames
// of 160 samples and 33 bytes. Each frame starts with the 0xD signature nibble, which the decoder
// checks on every frame before decoding any. Concealment by PitchConcealer.
base::Expected<AudioEncoderPtr, CodecError> make_gsm_encoder();
base::Expected<AudioDecoderPtr, CodecError> make_gsm_decoder();

}  // namespace kolokol::media
