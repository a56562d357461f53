#pragma once

#include <cstdint>
#include <string_view>

namespace kolokol::media {

// Why a codec call failed. Decoders see network input, so every malformed payload is one of
// these, never an assertion.
enum class CodecError : std::uint8_t {
  UnknownCodec,    // no codec of that name, clock rate or payload type
  BadOption,       // a configuration the codec cannot run with (e.g. an opus PCM rate of 44100)
  BadInput,        // PCM that is not a whole number of codec frames
  BadPayload,      // empty, wrongly sized, or refused by the codec library
  OutputTooSmall,  // the caller's buffer cannot hold the result
  Unsupported,     // the codec has no such feature (e.g. FEC recovery outside opus)
  LibraryFailure,  // the codec library could not create its state
};
std::string_view codec_error_name(CodecError error);

}  // namespace kolokol::media
