#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "base/expected.h"

struct SpeexResamplerState_;

namespace kolokol::media {

enum class ResamplerError : std::uint8_t {
  BadRate,         // outside 8-192 kHz
  BadQuality,      // outside 0-10
  OutputTooSmall,  // the output span cannot hold max_output_size() samples
  Failed,          // speexdsp refused (allocation or internal error)
};
std::string_view resampler_error_name(ResamplerError error);

// Mono 16-bit sample-rate conversion (speexdsp). The filter state carries over from one call to
// the next, so a stream converted frame by frame is the same as one converted in one go; the
// price is a fixed delay, see input_latency().
class Resampler {
 public:
  static constexpr int kDefaultQuality = 4;  // speexdsp's default; 3 is its "VoIP" setting

  static bool is_supported_rate(std::uint32_t rate);
  static base::Expected<Resampler, ResamplerError> create(std::uint32_t input_rate,
                                                          std::uint32_t output_rate,
                                                          int quality = kDefaultQuality);

  // Converts all of `in` and returns the samples written to `out`, which must have room for
  // max_output_size(in.size()).
  base::Expected<std::size_t, ResamplerError> process(std::span<const std::int16_t> in,
                                                      std::span<std::int16_t> out);

  // The most process() can write for `input_samples` of input.
  std::size_t max_output_size(std::size_t input_samples) const;
  // Delay of the filter, in input samples.
  int input_latency() const;
  // Forgets the history, as for a new stream.
  void reset();

  std::uint32_t input_rate() const { return input_rate_; }
  std::uint32_t output_rate() const { return output_rate_; }

 private:
  struct Deleter {
    void operator()(SpeexResamplerState_* state) const;
  };
  Resampler(SpeexResamplerState_* state, std::uint32_t input_rate, std::uint32_t output_rate);

  std::unique_ptr<SpeexResamplerState_, Deleter> state_;
  std::uint32_t input_rate_;
  std::uint32_t output_rate_;
};

}  // namespace kolokol::media
