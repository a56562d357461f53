#include "media/audio/speech_synthesizer.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <array>
#include <exception>
#include <utility>

#include "media/audio/utf8.h"

namespace kolokol::media {
namespace {

constexpr std::size_t kMaxVoiceName = 64;

// espeak-ng's state is per process, so the claim on it is too. This flag is the only global in
// the module and it mirrors one the library already has; it is set once and never cleared,
// because espeak-ng cannot be initialized a second time even after termination.
std::atomic<bool>& espeak_claimed() {
  static std::atomic<bool> claimed{false};
  return claimed;
}

std::string status_text(espeak_ng_STATUS status) {
  std::array<char, 256> buffer{};
  espeak_ng_GetStatusCodeMessage(status, buffer.data(), buffer.size());
  return std::string(buffer.data());
}

// Voice names become file lookups inside espeak-ng-data: only the characters real voice names
// use, so a name like "../../x" can never reach the file system.
bool is_voice_name(std::string_view voice) {
  if (voice.empty() || voice.size() > kMaxVoiceName) return false;
  return std::all_of(voice.begin(), voice.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '+';
  });
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

// Where the synthesis callback puts the audio of the current request.
struct SpeechSink {
  std::vector<std::int16_t>* samples = nullptr;
  std::size_t max_samples = 0;
  bool too_long = false;
  bool out_of_memory = false;
};

// espeak-ng passes each request's user_data on every event of the list, the terminator
// included, so the first entry always carries it.
int collect_speech(short* wav, int count, espeak_EVENT* events) {
  if (events == nullptr || events->user_data == nullptr) return 0;
  auto* sink = static_cast<SpeechSink*>(events->user_data);
  if (wav == nullptr || count <= 0) return 0;
  if (sink->samples->size() + static_cast<std::size_t>(count) > sink->max_samples) {
    sink->too_long = true;
    return 1;  // abort the synthesis
  }
  try {
    sink->samples->insert(sink->samples->end(), wav, wav + count);
  } catch (const std::exception&) {
    // Nothing may unwind through the C library.
    sink->out_of_memory = true;
    return 1;
  }
  return 0;
}

}  // namespace

base::Expected<std::unique_ptr<SpeechSynthesizer>, TtsError> SpeechSynthesizer::create(
    SynthesizerConfig config) {
  if (espeak_claimed().exchange(true)) {
    return base::unexpected(TtsError{TtsErrorKind::AlreadyInitialized, {}});
  }
  espeak_ng_InitializePath(config.data_path.empty() ? nullptr : config.data_path.c_str());
  espeak_ng_ERROR_CONTEXT context = nullptr;
  espeak_ng_STATUS status = espeak_ng_Initialize(&context);
  espeak_ng_ClearErrorContext(&context);
  if (status == ENS_OK) {
    status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr);
  }
  if (status != ENS_OK) {
    // The claim stays taken: after a half-done initialization, trying again is not safe.
    return base::unexpected(TtsError{TtsErrorKind::EngineUnavailable, status_text(status)});
  }
  espeak_SetSynthCallback(&collect_speech);
  return std::unique_ptr<SpeechSynthesizer>(
      new SpeechSynthesizer(std::move(config), espeak_ng_GetSampleRate()));
}

SpeechSynthesizer::SpeechSynthesizer(SynthesizerConfig config, int sample_rate)
    : config_(std::move(config)), sample_rate_(sample_rate) {}

SpeechSynthesizer::~SpeechSynthesizer() {
  espeak_ng_Terminate();
}

std::optional<TtsError> SpeechSynthesizer::check(std::string_view text,
                                                 const SpeechOptions& options) const {
  if (text.size() > config_.max_text_bytes) {
    return TtsError{TtsErrorKind::TextTooLong, std::to_string(text.size()) + " bytes, limit " +
                                                   std::to_string(config_.max_text_bytes)};
  }
  if (!is_valid_utf8_text(text)) return TtsError{TtsErrorKind::InvalidText, {}};
  if (is_blank(text)) return TtsError{TtsErrorKind::EmptyText, {}};
  if (!is_voice_name(options.voice)) return TtsError{TtsErrorKind::UnknownVoice, options.voice};
  if (options.rate_wpm < espeakRATE_MINIMUM || options.rate_wpm > espeakRATE_MAXIMUM) {
    return TtsError{TtsErrorKind::BadOption, "rate " + std::to_string(options.rate_wpm)};
  }
  if (options.pitch < 0 || options.pitch > 100) {
    return TtsError{TtsErrorKind::BadOption, "pitch " + std::to_string(options.pitch)};
  }
  return std::nullopt;
}

base::Expected<SynthesizedSpeech, TtsError> SpeechSynthesizer::synthesize(
    std::string_view text, const SpeechOptions& options) {
  if (auto refused = check(text, options)) return base::unexpected(std::move(*refused));
  const std::string terminated(text);  // espeak-ng reads up to the NUL

  SynthesizedSpeech speech;
  speech.sample_rate = sample_rate_;
  SpeechSink sink;
  sink.samples = &speech.samples;
  sink.max_samples =
      static_cast<std::size_t>(config_.max_speech.count()) * static_cast<std::size_t>(sample_rate_);

  std::lock_guard lock(mutex_);
  // Voice first: selecting a voice resets rate and pitch to its defaults.
  espeak_ng_STATUS status = espeak_ng_SetVoiceByName(options.voice.c_str());
  if (status != ENS_OK) {
    return base::unexpected(TtsError{TtsErrorKind::UnknownVoice, options.voice});
  }
  espeak_ng_SetParameter(espeakRATE, options.rate_wpm, 0);
  espeak_ng_SetParameter(espeakPITCH, options.pitch, 0);
  syntheses_.fetch_add(1, std::memory_order_relaxed);
  status = espeak_ng_Synthesize(terminated.c_str(), terminated.size() + 1, 0, POS_CHARACTER, 0,
                                espeakCHARS_UTF8, nullptr, &sink);
  if (sink.too_long) {
    return base::unexpected(TtsError{TtsErrorKind::SpeechTooLong,
                                     "over " + std::to_string(config_.max_speech.count()) + " s"});
  }
  if (sink.out_of_memory) {
    return base::unexpected(TtsError{TtsErrorKind::SynthesisFailed, "out of memory"});
  }
  if (status != ENS_OK) {
    return base::unexpected(TtsError{TtsErrorKind::SynthesisFailed, status_text(status)});
  }
  if (speech.samples.empty()) {
    return base::unexpected(TtsError{TtsErrorKind::SynthesisFailed, "no audio produced"});
  }
  return speech;
}

}  // namespace kolokol::media
