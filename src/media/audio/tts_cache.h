#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "media/audio/speech_synthesizer.h"
#include "media/audio/tts_error.h"

namespace kolokol::media {

// Synthesized phrases kept as WAV files, so "your call is important to us" is spoken by espeak-ng
// once and then read from disk (through PromptCache, like any recorded prompt) ever after, across
// restarts too. A request is named by the SHA-256 of its full key (text, voice, rate, pitch);
// the key itself sits beside the audio in a .key file and is compared on every hit, so a damaged
// or foreign file is resynthesized instead of being played for the wrong text.
//
// Files are written atomically (temporary + rename): concurrent requests for the same phrase,
// from this process or another, at worst both synthesize, and readers never see half a file.
// Blocking I/O and synthesis: blocking pool only. Nothing is ever deleted here; the directory
// grows with the distinct phrases spoken, and clearing it is always safe.
class TtsCache {
 public:
  TtsCache(SpeechSynthesizer& synthesizer, std::filesystem::path directory);

  // The WAV file (mono, 16-bit, at the synthesizer's native rate) that speaks `text`.
  base::Expected<std::filesystem::path, TtsError> get(std::string_view text,
                                                      const SpeechOptions& options);

  // Everything the audio depends on, in an unambiguous form (the text comes last, after its
  // length, so no text can pass for another field).
  static std::string request_key(std::string_view text, const SpeechOptions& options);

  std::uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  std::uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  bool holds(const std::filesystem::path& wav, const std::filesystem::path& key_file,
             std::string_view key) const;

  SpeechSynthesizer& synthesizer_;
  const std::filesystem::path directory_;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace kolokol::media
