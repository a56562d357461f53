#include "media/codec/transcoder.h"

#include <utility>

namespace kolokol::media {
namespace {

// Opus packets can last 120 ms; nothing else we carry is longer.
constexpr std::size_t kMaxPacketMs = 120;

}  // namespace

base::Expected<Transcoder, CodecError> Transcoder::create(AudioDecoderPtr from,
                                                          AudioEncoderPtr to) {
  if (!from || !to || from->sample_rate() != to->sample_rate()) {
    return base::unexpected(CodecError::BadOption);
  }
  return Transcoder(std::move(from), std::move(to));
}

Transcoder::Transcoder(AudioDecoderPtr from, AudioEncoderPtr to)
    : from_(std::move(from)),
      to_(std::move(to)),
      pcm_(std::size_t{from_->sample_rate()} / 1000 * kMaxPacketMs) {}

base::Expected<std::size_t, CodecError> Transcoder::transcode(std::span<const std::uint8_t> payload,
                                                              std::span<std::uint8_t> out) {
  auto samples = from_->decode(payload, pcm_);
  if (!samples) return samples;
  return to_->encode(std::span<const std::int16_t>(pcm_).first(*samples), out);
}

base::Expected<std::size_t, CodecError> Transcoder::transcode_loss(std::span<std::uint8_t> out) {
  auto samples = from_->conceal(pcm_);
  if (!samples) return samples;
  return to_->encode(std::span<const std::int16_t>(pcm_).first(*samples), out);
}

}  // namespace kolokol::media
