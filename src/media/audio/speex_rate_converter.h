#pragma once

#include "media/audio/pcm_rate_converter.h"

namespace kolokol::media {

// The production PcmRateConverter: the speexdsp resampler of media/dsp, with its filter delay
// removed so that the output starts with the input's first sample and lasts exactly as long.
// The factory falls back to linear interpolation for a rate pair speexdsp is not given (outside
// 8-192 kHz), which loading refuses anyway.
PcmRateConverterFactory speex_rate_converter_factory();

}  // namespace kolokol::media
