#include "media/audio/tts_cache.h"

#include <fstream>
#include <system_error>
#include <utility>

#include "media/audio/atomic_file.h"
#include "media/audio/sha256.h"
#include "media/audio/wav_writer.h"

namespace kolokol::media {
namespace {

namespace fs = std::filesystem;

// Bumped when the synthesis pipeline changes in a way that alters the audio, so old entries stop
// matching instead of being played.
constexpr std::string_view kKeyVersion = "kolokol-tts-1";
// A RIFF/WAVE header alone is 44 bytes; anything not longer holds no audio.
constexpr std::uintmax_t kWavHeaderBytes = 44;

}  // namespace

TtsCache::TtsCache(SpeechSynthesizer& synthesizer, fs::path directory)
    : synthesizer_(synthesizer), directory_(std::move(directory)) {}

std::string TtsCache::request_key(std::string_view text, const SpeechOptions& options) {
  std::string key(kKeyVersion);
  key += "\nvoice=" + options.voice;
  key += "\nrate=" + std::to_string(options.rate_wpm);
  key += "\npitch=" + std::to_string(options.pitch);
  key += "\ntext-bytes=" + std::to_string(text.size());
  key += '\n';
  key += text;
  return key;
}

bool TtsCache::holds(const fs::path& wav, const fs::path& key_file, std::string_view key) const {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(wav, error);
  if (error || size <= kWavHeaderBytes) return false;
  std::ifstream in(key_file, std::ios::binary);
  if (!in) return false;
  // One byte more than expected is read, so a longer stored key does not compare equal.
  std::string stored(key.size() + 1, '\0');
  in.read(stored.data(), static_cast<std::streamsize>(stored.size()));
  stored.resize(static_cast<std::size_t>(in.gcount()));
  return stored == key;
}

base::Expected<fs::path, TtsError> TtsCache::get(std::string_view text,
                                                 const SpeechOptions& options) {
  if (auto refused = synthesizer_.check(text, options)) {
    return base::unexpected(std::move(*refused));
  }
  const std::string key = request_key(text, options);
  const std::string name = sha256_hex(key);
  const fs::path wav = directory_ / (name + ".wav");
  const fs::path key_file = directory_ / (name + ".key");
  if (holds(wav, key_file, key)) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return wav;
  }
  misses_.fetch_add(1, std::memory_order_relaxed);

  auto speech = synthesizer_.synthesize(text, options);
  if (!speech) return base::unexpected(speech.error());
  std::error_code error;
  fs::create_directories(directory_, error);
  if (error) {
    return base::unexpected(
        TtsError{TtsErrorKind::CacheIo, directory_.string() + ": " + error.message()});
  }
  // Audio first, key last: the key is what makes an entry count, so a crash in between leaves
  // an entry that is simply synthesized again.
  auto written = write_wav_atomically(wav, speech->samples, speech->sample_rate);
  if (written) written = write_text_file_atomically(key_file, key);
  if (!written) {
    return base::unexpected(TtsError{TtsErrorKind::CacheIo, written.error()});
  }
  return wav;
}

}  // namespace kolokol::media
