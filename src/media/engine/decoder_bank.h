#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/expected.h"
#include "media/codec/codec_factory.h"
#include "media/dsp/resampler.h"

namespace kolokol::media {

// The decoders one received RTP stream needs, all delivering at one output rate. A stream may
// change codec at any time (a re-INVITE, or a phone that switches on its own), so each codec
// gets its decoder and resampler the first time it is met, and keeps them: a codec that comes
// back finds its state, and a codec whose decoder could not be made is not retried per packet.
// After that warm-up nothing allocates. Single-threaded: one stream, one worker.
class DecoderBank {
 public:
  // Longest packet decoded: 120 ms, opus's largest, at 48 kHz.
  static constexpr std::size_t kMaxDecodedSamples = 5760;

  // `output_rate` must be one Resampler::is_supported_rate() accepts (checked by the owner).
  DecoderBank(std::uint32_t output_rate, const CodecOptions& options);

  // Decodes one payload, then converts it to the output rate. The span is valid until the next
  // call. Malformed payloads are refused (BadPayload) and leave the decoders as they were.
  base::Expected<std::span<const std::int16_t>, CodecError> decode(
      CodecId codec, std::span<const std::uint8_t> payload);

  // Stands in for one lost packet with the decoder used last (its concealment); empty when
  // nothing was decoded yet, since there is nothing to continue.
  base::Expected<std::span<const std::int16_t>, CodecError> conceal();

  std::uint32_t output_rate() const { return output_rate_; }

 private:
  static constexpr std::size_t kCodecs = static_cast<std::size_t>(CodecId::Gsm) + 1;

  struct Entry {
    AudioDecoderPtr decoder;
    std::optional<Resampler> resampler;  // none when the codec runs at the output rate
    std::optional<CodecError> failure;   // why the decoder could not be made
  };

  base::Expected<Entry*, CodecError> entry_for(CodecId codec);
  base::Expected<std::span<const std::int16_t>, CodecError> convert(Entry& entry,
                                                                    std::size_t samples);

  std::uint32_t output_rate_;
  CodecOptions options_;
  std::array<Entry, kCodecs> entries_;
  Entry* last_ = nullptr;
  std::vector<std::int16_t> decoded_;
  std::vector<std::int16_t> converted_;
};

}  // namespace kolokol::media
