#pragma once

#include "media/codec/audio_codec.h"

namespace kolokol::media {

// G.729 Annex A (with Annex B VAD/DTX/comfort noise) through bcg729: 8 kHz PCM in 10 ms frames
// of 80 samples and 10 bytes, so a 20 ms packet is 20 bytes (RFC 3551 4.5.6).
//
// With `vad` on, the encoder may return 0 bytes (nothing to send) or end a packet with a 2-byte
// SID frame. RFC 3551 allows a SID only as a packet's last frame, so a SID followed by speech in
// the same packet is dropped; callers who want exact DTX timing use 10 ms packets.
// The decoder takes any number of 10-byte frames optionally followed by one 2-byte SID frame,
// and conceals losses with G.729's own frame-erasure procedure.
base::Expected<AudioEncoderPtr, CodecError> make_g729_encoder(bool vad);
base::Expected<AudioDecoderPtr, CodecError> make_g729_decoder();

}  // namespace kolokol::media
