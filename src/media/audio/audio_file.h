#pragma once

#include <chrono>
#include <filesystem>

#include "base/expected.h"
#include "media/audio/audio_error.h"
#include "media/audio/pcm_rate_converter.h"
#include "media/audio/prompt_clip.h"

namespace kolokol::media {

struct PromptLoadOptions {
  // Longer files are refused: a misplaced multi-hour recording would otherwise pin hundreds of
  // megabytes in the prompt cache.
  std::chrono::seconds max_duration = std::chrono::minutes(30);
  // Empty: the speexdsp resampler (speex_rate_converter.h); tests may inject another.
  PcmRateConverterFactory rate_converter;
};

// Sample rates prompts can be loaded at (the engine's narrowband, wideband and Opus rates, and
// what lies between).
inline constexpr int kMinPromptSampleRate = 8000;
inline constexpr int kMaxPromptSampleRate = 48000;

// Decodes any file libsndfile reads (WAV PCM/float/mu-law/A-law, FLAC, Ogg Vorbis, AIFF, AU...),
// averages its channels to mono and converts it to `sample_rate`, 16-bit. Blocking file I/O:
// run it on the blocking pool, never on a media thread. Every failure is returned, none thrown.
base::Expected<PromptClipPtr, AudioError> load_prompt(const std::filesystem::path& path,
                                                      int sample_rate,
                                                      const PromptLoadOptions& options = {});

}  // namespace kolokol::media
