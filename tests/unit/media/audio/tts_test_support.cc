#include "unit/media/audio/tts_test_support.h"

#include <optional>

namespace kolokol::media::testing {
namespace {

struct Shared {
  std::unique_ptr<SpeechSynthesizer> synthesizer;
  std::optional<TtsError> error;
};

Shared& shared() {
  static Shared instance = [] {
    Shared out;
    SynthesizerConfig config;
    config.max_speech = kTestMaxSpeech;
    auto created = SpeechSynthesizer::create(config);
    if (created) {
      out.synthesizer = std::move(*created);
    } else {
      out.error = created.error();
    }
    return out;
  }();
  return instance;
}

}  // namespace

SpeechSynthesizer* shared_synthesizer() {
  return shared().synthesizer.get();
}
const TtsError* shared_synthesizer_error() {
  return shared().error ? &*shared().error : nullptr;
}

}  // namespace kolokol::media::testing
