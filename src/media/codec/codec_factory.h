#pragma once

#include "media/codec/audio_codec.h"
#include "media/codec/opus_codec.h"

namespace kolokol::media {

// Per-call choices for the codecs that have any. Defaults suit a plain 20 ms VoIP call.
struct CodecOptions {
  OpusOptions opus;  // opus.sample_rate is used by the decoder as well
  bool g729_vad = false;
};

// An encoder or decoder for any codec of the registry; BadOption for options out of range,
// LibraryFailure when the codec library cannot create its state.
base::Expected<AudioEncoderPtr, CodecError> make_encoder(CodecId codec,
                                                         const CodecOptions& options = {});
base::Expected<AudioDecoderPtr, CodecError> make_decoder(CodecId codec,
                                                         const CodecOptions& options = {});

}  // namespace kolokol::media
