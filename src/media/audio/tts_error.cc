#include "media/audio/tts_error.h"

namespace kolokol::media {

std::string_view tts_error_kind_name(TtsErrorKind kind) {
  switch (kind) {
    case TtsErrorKind::EngineUnavailable:
      return "speech engine unavailable";
    case TtsErrorKind::AlreadyInitialized:
      return "speech engine already in use in this process";
    case TtsErrorKind::EmptyText:
      return "empty text";
    case TtsErrorKind::TextTooLong:
      return "text too long";
    case TtsErrorKind::InvalidText:
      return "text is not valid UTF-8";
    case TtsErrorKind::UnknownVoice:
      return "unknown voice";
    case TtsErrorKind::BadOption:
      return "speech option out of range";
    case TtsErrorKind::SpeechTooLong:
      return "speech too long";
    case TtsErrorKind::SynthesisFailed:
      return "speech synthesis failed";
    case TtsErrorKind::CacheIo:
      return "speech cache I/O failed";
  }
  return "unknown";
}

std::string TtsError::describe() const {
  std::string out(tts_error_kind_name(kind));
  if (!detail.empty()) {
    out += ": ";
    out += detail;
  }
  return out;
}

}  // namespace kolokol::media
