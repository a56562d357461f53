#include "media/dsp/resampler.h"

#include <algorithm>
#include <array>
#include <limits>

#include <speex/speex_resampler.h>

namespace kolokol::media {
namespace {

// Telephony rates, CD and DAT rates and everything between: speexdsp takes any ratio; the bound
// keeps a hostile file header from asking for absurd filter lengths.
constexpr std::uint32_t kMinRate = 8000;
constexpr std::uint32_t kMaxRate = 192'000;

}  // namespace

std::string_view resampler_error_name(ResamplerError error) {
  switch (error) {
    case ResamplerError::BadRate:
      return "unsupported sample rate";
    case ResamplerError::BadQuality:
      return "resampler quality outside 0-10";
    case ResamplerError::OutputTooSmall:
      return "resampler output buffer too small";
    case ResamplerError::Failed:
      return "speexdsp resampler failed";
  }
  return "unknown";
}

void Resampler::Deleter::operator()(SpeexResamplerState_* state) const {
  speex_resampler_destroy(state);
}

bool Resampler::is_supported_rate(std::uint32_t rate) {
  return rate >= kMinRate && rate <= kMaxRate;
}

base::Expected<Resampler, ResamplerError> Resampler::create(std::uint32_t input_rate,
                                                            std::uint32_t output_rate,
                                                            int quality) {
  if (!is_supported_rate(input_rate) || !is_supported_rate(output_rate)) {
    return base::unexpected(ResamplerError::BadRate);
  }
  if (quality < SPEEX_RESAMPLER_QUALITY_MIN || quality > SPEEX_RESAMPLER_QUALITY_MAX) {
    return base::unexpected(ResamplerError::BadQuality);
  }
  int error = RESAMPLER_ERR_SUCCESS;
  SpeexResamplerState* state = speex_resampler_init(1, input_rate, output_rate, quality, &error);
  if (state == nullptr || error != RESAMPLER_ERR_SUCCESS) {
    if (state != nullptr) speex_resampler_destroy(state);
    return base::unexpected(ResamplerError::Failed);
  }
  return Resampler(state, input_rate, output_rate);
}

Resampler::Resampler(SpeexResamplerState_* state, std::uint32_t input_rate,
                     std::uint32_t output_rate)
    : state_(state), input_rate_(input_rate), output_rate_(output_rate) {}

std::size_t Resampler::max_output_size(std::size_t input_samples) const {
  // The fractional phase carried between calls can add one sample to the exact ratio.
  return (input_samples * output_rate_ + input_rate_ - 1) / input_rate_ + 1;
}

int Resampler::input_latency() const {
  return speex_resampler_get_input_latency(state_.get());
}

void Resampler::reset() {
  speex_resampler_reset_mem(state_.get());
}

base::Expected<std::size_t, ResamplerError> Resampler::process(std::span<const std::int16_t> in,
                                                               std::span<std::int16_t> out) {
  if (out.size() < max_output_size(in.size())) {
    return base::unexpected(ResamplerError::OutputTooSmall);
  }
  constexpr std::size_t kMaxCall = std::numeric_limits<spx_uint32_t>::max() / 2;
  std::size_t written = 0;
  while (!in.empty()) {
    auto in_len = static_cast<spx_uint32_t>(std::min(in.size(), kMaxCall));
    auto out_len = static_cast<spx_uint32_t>(std::min(out.size() - written, kMaxCall));
    const int error = speex_resampler_process_int(state_.get(), 0, in.data(), &in_len,
                                                  out.data() + written, &out_len);
    if (error != RESAMPLER_ERR_SUCCESS) return base::unexpected(ResamplerError::Failed);
    written += out_len;
    in = in.subspan(in_len);
    if (in_len == 0 && out_len == 0) return base::unexpected(ResamplerError::Failed);
  }
  return written;
}

}  // namespace kolokol::media
