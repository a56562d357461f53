#include "media/codec/opus_codec.h"

#include <opus.h>

#include <algorithm>
#include <utility>

namespace kolokol::media {
namespace {

// libopus's own advice for the largest packet worth allowing.
constexpr std::size_t kMaxPacketBytes = 4000;

struct EncoderDeleter {
  void operator()(OpusEncoder* encoder) const { opus_encoder_destroy(encoder); }
};
struct DecoderDeleter {
  void operator()(OpusDecoder* decoder) const { opus_decoder_destroy(decoder); }
};
using EncoderHandle = std::unique_ptr<OpusEncoder, EncoderDeleter>;
using DecoderHandle = std::unique_ptr<OpusDecoder, DecoderDeleter>;

bool is_opus_rate(std::uint32_t rate) {
  return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

// Opus frames last 2.5, 5, 10, 20, 40 or 60 ms.
bool is_opus_frame(std::size_t samples, std::uint32_t rate) {
  const std::size_t quantum = rate / 400;  // 2.5 ms
  for (std::size_t multiple : {1, 2, 4, 8, 16, 24}) {
    if (samples == quantum * multiple) return true;
  }
  return false;
}

class OpusAudioEncoder final : public AudioEncoder {
 public:
  OpusAudioEncoder(EncoderHandle encoder, std::uint32_t rate)
      : encoder_(std::move(encoder)), rate_(rate) {}

  CodecId codec() const override { return CodecId::Opus; }
  std::uint32_t sample_rate() const override { return rate_; }
  std::size_t max_payload_size(std::size_t samples) const override {
    if (!is_opus_frame(samples, rate_)) return 0;
    // Up to 1275 bytes per 20 ms frame, plus the code-3 framing of 40 and 60 ms packets.
    const std::size_t frames = std::max<std::size_t>(1, samples / (rate_ / 50));
    return std::min(kMaxPacketBytes, frames * 1275 + 2 * frames + 1);
  }

  base::Expected<std::size_t, CodecError> encode(std::span<const std::int16_t> pcm,
                                                 std::span<std::uint8_t> out) override {
    if (!is_opus_frame(pcm.size(), rate_)) return base::unexpected(CodecError::BadInput);
    const auto room = static_cast<opus_int32>(std::min(out.size(), kMaxPacketBytes));
    const opus_int32 written =
        opus_encode(encoder_.get(), pcm.data(), static_cast<int>(pcm.size()), out.data(), room);
    if (written == OPUS_BUFFER_TOO_SMALL) return base::unexpected(CodecError::OutputTooSmall);
    if (written < 0) return base::unexpected(CodecError::LibraryFailure);
    return static_cast<std::size_t>(written);
  }

 private:
  EncoderHandle encoder_;
  std::uint32_t rate_;
};

class OpusAudioDecoder final : public AudioDecoder {
 public:
  OpusAudioDecoder(DecoderHandle decoder, std::uint32_t rate)
      : decoder_(std::move(decoder)), rate_(rate) {}

  CodecId codec() const override { return CodecId::Opus; }
  std::uint32_t sample_rate() const override { return rate_; }
  bool has_fec() const override { return true; }

  base::Expected<std::size_t, CodecError> decoded_samples(
      std::span<const std::uint8_t> payload) const override {
    // An empty payload would make opus conceal; losses go through conceal() instead.
    if (payload.empty() || payload.size() > kMaxPacketBytes) {
      return base::unexpected(CodecError::BadPayload);
    }
    const int samples = opus_decoder_get_nb_samples(decoder_.get(), payload.data(),
                                                    static_cast<opus_int32>(payload.size()));
    // Opus packets carry at most 120 ms.
    if (samples <= 0 || static_cast<std::uint32_t>(samples) > rate_ / 1000 * 120) {
      return base::unexpected(CodecError::BadPayload);
    }
    return static_cast<std::size_t>(samples);
  }

 protected:
  base::Expected<std::size_t, CodecError> decode_checked(std::span<const std::uint8_t> payload,
                                                         std::span<std::int16_t> out) override {
    return run(payload, out, 0);
  }
  base::Expected<std::size_t, CodecError> conceal_checked(std::span<std::int16_t> out) override {
    return run({}, out, 0);
  }
  base::Expected<std::size_t, CodecError> recover_checked(
      std::span<const std::uint8_t> next_payload, std::span<std::int16_t> out) override {
    return run(next_payload, out, 1);
  }

 private:
  // `out` is exactly the duration wanted; opus needs frame_size to match the lost packet to take
  // the FEC copy, and a whole number of 2.5 ms for PLC.
  base::Expected<std::size_t, CodecError> run(std::span<const std::uint8_t> payload,
                                              std::span<std::int16_t> out, int fec) {
    const int samples = opus_decode(decoder_.get(), payload.empty() ? nullptr : payload.data(),
                                    static_cast<opus_int32>(payload.size()), out.data(),
                                    static_cast<int>(out.size()), fec);
    if (samples < 0) return base::unexpected(CodecError::BadPayload);
    return static_cast<std::size_t>(samples);
  }

  DecoderHandle decoder_;
  std::uint32_t rate_;
};

}  // namespace

base::Expected<AudioEncoderPtr, CodecError> make_opus_encoder(const OpusOptions& options) {
  if (!is_opus_rate(options.sample_rate) || options.bitrate < 6000 || options.bitrate > 510000 ||
      options.expected_loss_percent > 100) {
    return base::unexpected(CodecError::BadOption);
  }
  int error = OPUS_OK;
  EncoderHandle encoder(opus_encoder_create(static_cast<opus_int32>(options.sample_rate), 1,
                                            OPUS_APPLICATION_VOIP, &error));
  if (!encoder || error != OPUS_OK) return base::unexpected(CodecError::LibraryFailure);
  if (opus_encoder_ctl(encoder.get(), OPUS_SET_BITRATE(static_cast<opus_int32>(options.bitrate))) !=
          OPUS_OK ||
      opus_encoder_ctl(encoder.get(), OPUS_SET_INBAND_FEC(1)) != OPUS_OK ||
      opus_encoder_ctl(encoder.get(), OPUS_SET_PACKET_LOSS_PERC(options.expected_loss_percent)) !=
          OPUS_OK) {
    return base::unexpected(CodecError::BadOption);
  }
  return AudioEncoderPtr(
      std::make_unique<OpusAudioEncoder>(std::move(encoder), options.sample_rate));
}

base::Expected<AudioDecoderPtr, CodecError> make_opus_decoder(std::uint32_t sample_rate) {
  if (!is_opus_rate(sample_rate)) return base::unexpected(CodecError::BadOption);
  int error = OPUS_OK;
  DecoderHandle decoder(opus_decoder_create(static_cast<opus_int32>(sample_rate), 1, &error));
  if (!decoder || error != OPUS_OK) return base::unexpected(CodecError::LibraryFailure);
  return AudioDecoderPtr(std::make_unique<OpusAudioDecoder>(std::move(decoder), sample_rate));
}

}  // namespace kolokol::media
