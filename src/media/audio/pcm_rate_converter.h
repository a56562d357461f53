#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace kolokol::media {

// Sample-rate conversion of one mono 16-bit stream, fed block by block so a long file never has
// to sit in memory at its source rate. The loaders here take a factory for it instead of naming
// an implementation: production passes one built on the speexdsp resampler of media/dsp, tests
// and tools may rely on the linear fallback below.
class PcmRateConverter {
 public:
  virtual ~PcmRateConverter() = default;

  // Appends to `out` the converted samples for `in`, the next block of the input stream.
  virtual void process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out) = 0;
  // The input has ended: appends what the converter still holds back (its filter delay), so the
  // output lasts as long as the input did.
  virtual void finish(std::vector<std::int16_t>& out) = 0;
};

using PcmRateConverterFactory =
    std::function<std::unique_ptr<PcmRateConverter>(int in_rate, int out_rate)>;

// Linear interpolation between neighbouring input samples. No anti-aliasing filter, so content
// above the target Nyquist folds back when downsampling: good enough for tests and for speech
// prompts recorded near the target rate, not a substitute for a real resampler on music.
std::unique_ptr<PcmRateConverter> make_linear_rate_converter(int in_rate, int out_rate);

// The factory to use when the caller gave none (an empty std::function).
PcmRateConverterFactory linear_rate_converter_factory();

}  // namespace kolokol::media
