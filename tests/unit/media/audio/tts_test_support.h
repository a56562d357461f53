#pragma once

#include <chrono>

#include "media/audio/speech_synthesizer.h"

namespace kolokol::media::testing {

inline constexpr std::chrono::seconds kTestMaxSpeech{10};

// espeak-ng can be initialized once per process, so every TTS test in this executable shares
// one synthesizer. Null when espeak-ng did not initialize; the tests then fail with the reason.
SpeechSynthesizer* shared_synthesizer();
const TtsError* shared_synthesizer_error();

}  // namespace kolokol::media::testing
