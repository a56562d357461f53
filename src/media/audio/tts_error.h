#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kolokol::media {

enum class TtsErrorKind : std::uint8_t {
  EngineUnavailable,   // espeak-ng did not initialize (data folder missing?)
  AlreadyInitialized,  // espeak-ng was already claimed in this process
  EmptyText,           // nothing but whitespace to say
  TextTooLong,         // over the configured byte limit
  InvalidText,         // not UTF-8, or holds a NUL
  UnknownVoice,        // malformed voice name, or espeak-ng has no such voice
  BadOption,           // rate or pitch out of range
  SpeechTooLong,       // the audio would exceed the configured duration
  SynthesisFailed,     // espeak-ng reported an error or produced no audio
  CacheIo,             // the cache directory or its files could not be written
};
std::string_view tts_error_kind_name(TtsErrorKind kind);

struct TtsError {
  TtsErrorKind kind = TtsErrorKind::SynthesisFailed;
  std::string detail;
  std::string describe() const;
};

}  // namespace kolokol::media
