#pragma once

#include "media/codec/audio_codec.h"

namespace kolokol::media {

// G.722 at 64 kbit/s through spandsp: 16 kHz PCM, one byte per two samples (160 bytes per
// 20 ms), any even number of samples per packet. Concealment by PitchConcealer.
base::Expected<AudioEncoderPtr, CodecError> make_g722_encoder();
base::Expected<AudioDecoderPtr, CodecError> make_g722_decoder();

}  // namespace kolokol::media
