#include "media/codec/codec_error.h"

namespace kolokol::media {

std::string_view codec_error_name(CodecError error) {
  switch (error) {
    case CodecError::UnknownCodec:
      return "unknown codec";
    case CodecError::BadOption:
      return "bad codec option";
    case CodecError::BadInput:
      return "PCM is not a whole number of frames";
    case CodecError::BadPayload:
      return "bad payload";
    case CodecError::OutputTooSmall:
      return "output buffer too small";
    case CodecError::Unsupported:
      return "not supported by this codec";
    case CodecError::LibraryFailure:
      return "codec library failure";
  }
  return "unknown";
}

}  // namespace kolokol::media
