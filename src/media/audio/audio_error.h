#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kolokol::media {

// Why an audio file could not become a prompt. `detail` carries what the OS or libsndfile said,
// for the log line an operator reads; the kind is what callers branch on.
enum class AudioErrorKind : std::uint8_t {
  NotFound,       // no such file, or not a regular file
  Empty,          // zero bytes, or a valid header with no audio
  Unreadable,     // not a format libsndfile decodes, or an I/O error while decoding
  TooLong,        // longer than the configured cap
  BadSampleRate,  // the requested target rate is outside what the engine uses
};
std::string_view audio_error_kind_name(AudioErrorKind kind);

struct AudioError {
  AudioErrorKind kind = AudioErrorKind::Unreadable;
  std::string detail;

  // "<kind>: <detail>", for logs.
  std::string describe() const;
};

}  // namespace kolokol::media
