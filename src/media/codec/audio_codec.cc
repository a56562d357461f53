#include "media/codec/audio_codec.h"

namespace kolokol::media {

base::Expected<std::size_t, CodecError> AudioDecoder::decode(std::span<const std::uint8_t> payload,
                                                             std::span<std::int16_t> out) {
  auto samples = decoded_samples(payload);
  if (!samples) return samples;
  if (*samples > out.size()) return base::unexpected(CodecError::OutputTooSmall);
  auto written = decode_checked(payload, out.first(*samples));
  if (written) last_packet_samples_ = *written;
  return written;
}

base::Expected<std::size_t, CodecError> AudioDecoder::conceal(std::span<std::int16_t> out) {
  const std::size_t samples = concealment_samples();
  if (samples > out.size()) return base::unexpected(CodecError::OutputTooSmall);
  return conceal_checked(out.first(samples));
}

base::Expected<std::size_t, CodecError> AudioDecoder::recover_from_next(
    std::span<const std::uint8_t> next_payload, std::span<std::int16_t> out) {
  if (!has_fec()) return base::unexpected(CodecError::Unsupported);
  auto next = decoded_samples(next_payload);
  if (!next) return next;
  const std::size_t samples = concealment_samples();
  if (samples > out.size()) return base::unexpected(CodecError::OutputTooSmall);
  return recover_checked(next_payload, out.first(samples));
}

base::Expected<std::size_t, CodecError> AudioDecoder::recover_checked(std::span<const std::uint8_t>,
                                                                      std::span<std::int16_t>) {
  return base::unexpected(CodecError::Unsupported);
}

}  // namespace kolokol::media
