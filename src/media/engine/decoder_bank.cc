#include "media/engine/decoder_bank.h"

namespace kolokol::media {

DecoderBank::DecoderBank(std::uint32_t output_rate, const CodecOptions& options)
    : output_rate_(output_rate),
      options_(options),
      decoded_(kMaxDecodedSamples),
      // The lowest decoder rate is 8 kHz: that is the largest ratio the resampler can produce.
      converted_(kMaxDecodedSamples * output_rate / 8000 + 64) {}

base::Expected<DecoderBank::Entry*, CodecError> DecoderBank::entry_for(CodecId codec) {
  Entry& entry = entries_[static_cast<std::size_t>(codec)];
  if (entry.decoder) return &entry;
  if (entry.failure) return base::unexpected(*entry.failure);

  auto decoder = make_decoder(codec, options_);
  if (!decoder) {
    entry.failure = decoder.error();
    return base::unexpected(decoder.error());
  }
  const std::uint32_t rate = (*decoder)->sample_rate();
  if (rate != output_rate_) {
    auto resampler = Resampler::create(rate, output_rate_);
    if (!resampler) {
      entry.failure = CodecError::BadOption;
      return base::unexpected(CodecError::BadOption);
    }
    entry.resampler.emplace(std::move(*resampler));
  }
  entry.decoder = std::move(*decoder);
  return &entry;
}

base::Expected<std::span<const std::int16_t>, CodecError> DecoderBank::convert(
    Entry& entry, std::size_t samples) {
  const std::span<const std::int16_t> pcm(decoded_.data(), samples);
  if (!entry.resampler) return pcm;
  auto written = entry.resampler->process(pcm, converted_);
  if (!written) return base::unexpected(CodecError::LibraryFailure);
  return std::span<const std::int16_t>(converted_.data(), *written);
}

base::Expected<std::span<const std::int16_t>, CodecError> DecoderBank::decode(
    CodecId codec, std::span<const std::uint8_t> payload) {
  auto entry = entry_for(codec);
  if (!entry) return base::unexpected(entry.error());
  auto samples = (*entry)->decoder->decode(payload, decoded_);
  if (!samples) return base::unexpected(samples.error());
  last_ = *entry;
  return convert(**entry, *samples);
}

base::Expected<std::span<const std::int16_t>, CodecError> DecoderBank::conceal() {
  if (last_ == nullptr) return std::span<const std::int16_t>{};
  auto samples = last_->decoder->conceal(decoded_);
  if (!samples) return base::unexpected(samples.error());
  return convert(*last_, *samples);
}

}  // namespace kolokol::media
