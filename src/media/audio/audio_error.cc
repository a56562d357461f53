#include "media/audio/audio_error.h"

namespace kolokol::media {

std::string_view audio_error_kind_name(AudioErrorKind kind) {
  switch (kind) {
    case AudioErrorKind::NotFound:
      return "file not found";
    case AudioErrorKind::Empty:
      return "no audio in file";
    case AudioErrorKind::Unreadable:
      return "unreadable audio file";
    case AudioErrorKind::TooLong:
      return "audio file too long";
    case AudioErrorKind::BadSampleRate:
      return "unsupported sample rate";
  }
  return "unknown";
}

std::string AudioError::describe() const {
  std::string out(audio_error_kind_name(kind));
  if (!detail.empty()) {
    out += ": ";
    out += detail;
  }
  return out;
}

}  // namespace kolokol::media
