#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "media/audio/tts_error.h"

namespace kolokol::media {

struct SpeechOptions {
  std::string voice = "en";  // an espeak-ng voice: "en", "ru", "en-us", "ru+f3" (with variant)
  int rate_wpm = 175;        // words per minute, 80-450
  int pitch = 50;            // 0-100, 50 is the voice's normal pitch
};

struct SynthesizerConfig {
  // The espeak-ng-data folder; empty: the library's compiled-in default (on Debian,
  // /usr/lib/x86_64-linux-gnu/espeak-ng-data from the espeak-ng-data package).
  std::string data_path;
  std::size_t max_text_bytes = 4000;
  std::chrono::seconds max_speech = std::chrono::minutes(5);
};

struct SynthesizedSpeech {
  std::vector<std::int16_t> samples;  // mono
  int sample_rate = 0;                // espeak-ng's own rate (22050 Hz)
};

// Text to speech with espeak-ng. The library keeps its voice, parameters and output callback
// in process-wide state and cannot be initialized again after it was terminated, so:
//  - the daemon constructs exactly one, early, and passes it by reference to whoever speaks
//    (not a singleton: the owner decides its lifetime and tests build their own);
//  - a second create() in the same process is refused with AlreadyInitialized rather than
//    corrupting (or, as espeak-ng 1.51 does on re-initialization, deadlocking) the first;
//  - synthesize() holds a mutex for the whole call, so concurrent requests from the blocking
//    pool take turns. Synthesis is CPU work of tens of milliseconds per sentence: blocking pool
//    only, never a media thread. Results go through TtsCache so repeated phrases cost nothing.
class SpeechSynthesizer {
 public:
  static base::Expected<std::unique_ptr<SpeechSynthesizer>, TtsError> create(
      SynthesizerConfig config = {});
  ~SpeechSynthesizer();
  SpeechSynthesizer(const SpeechSynthesizer&) = delete;
  SpeechSynthesizer& operator=(const SpeechSynthesizer&) = delete;

  // What synthesize() would refuse before doing any work (length, encoding, option ranges,
  // voice name syntax). Whether espeak-ng has the voice is only known when it is selected.
  std::optional<TtsError> check(std::string_view text, const SpeechOptions& options) const;

  base::Expected<SynthesizedSpeech, TtsError> synthesize(std::string_view text,
                                                         const SpeechOptions& options);

  int native_sample_rate() const { return sample_rate_; }
  // Calls that reached espeak-ng, successful or not: lets tests see that a cache hit did not.
  std::uint64_t synthesis_count() const { return syntheses_.load(std::memory_order_relaxed); }

 private:
  SpeechSynthesizer(SynthesizerConfig config, int sample_rate);

  const SynthesizerConfig config_;
  const int sample_rate_;
  std::mutex mutex_;  // espeak-ng's global state
  std::atomic<std::uint64_t> syntheses_{0};
};

}  // namespace kolokol::media
