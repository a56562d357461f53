#pragma once

#include <cstdint>

#include "media/codec/audio_codec.h"

namespace kolokol::media {

// ITU-T G.711 in both directions through tables built at compile time from the companding rules
// (Tables 1a/2a of the Recommendation): decoding is one 256-entry lookup, encoding one lookup
// indexed by the top 14 (mu-law) or 13 (A-law) bits of the sample, which is all G.711 looks at.
// Every A-law code decodes and re-encodes to itself; so does every mu-law code but 0x7F
// ("negative zero"), which decodes to 0 like 0xFF and comes back as 0xFF.
std::uint8_t linear_to_ulaw(std::int16_t sample);
std::int16_t ulaw_to_linear(std::uint8_t code);
std::uint8_t linear_to_alaw(std::int16_t sample);
std::int16_t alaw_to_linear(std::uint8_t code);

// One byte per sample, any packet length; concealment by PitchConcealer.
enum class G711Law : std::uint8_t { MuLaw, ALaw };
AudioEncoderPtr make_g711_encoder(G711Law law);
AudioDecoderPtr make_g711_decoder(G711Law law);

}  // namespace kolokol::media
