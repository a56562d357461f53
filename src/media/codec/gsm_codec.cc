#include "media/codec/gsm_codec.h"

#include <gsm.h>

#include <algorithm>
#include <array>
#include <utility>

#include "media/codec/pitch_concealer.h"

namespace kolokol::media {
namespace {

constexpr std::size_t kFrameSamples = 160;
constexpr std::size_t kFrameBytes = sizeof(gsm_frame);
constexpr std::uint8_t kSignature = 0xd;

static_assert(kFrameBytes == 33);
static_assert(sizeof(gsm_signal) == sizeof(std::int16_t));

struct GsmDeleter {
  void operator()(gsm_state* state) const { gsm_destroy(state); }
};
using GsmHandle = std::unique_ptr<gsm_state, GsmDeleter>;

class GsmEncoder final : public AudioEncoder {
 public:
  explicit GsmEncoder(GsmHandle state) : state_(std::move(state)) {}

  CodecId codec() const override { return CodecId::Gsm; }
  std::uint32_t sample_rate() const override { return 8000; }
  std::size_t max_payload_size(std::size_t samples) const override {
    return samples % kFrameSamples == 0 ? samples / kFrameSamples * kFrameBytes : 0;
  }

  base::Expected<std::size_t, CodecError> encode(std::span<const std::int16_t> pcm,
                                                 std::span<std::uint8_t> out) override {
    if (pcm.empty() || pcm.size() % kFrameSamples != 0) {
      return base::unexpected(CodecError::BadInput);
    }
    const std::size_t size = max_payload_size(pcm.size());
    if (out.size() < size) return base::unexpected(CodecError::OutputTooSmall);
    for (std::size_t frame = 0; frame * kFrameSamples < pcm.size(); ++frame) {
      // libgsm takes a non-const pointer; it gets a copy rather than a const_cast.
      std::copy_n(pcm.begin() + static_cast<std::ptrdiff_t>(frame * kFrameSamples), kFrameSamples,
                  input_.begin());
      gsm_encode(state_.get(), input_.data(), out.data() + frame * kFrameBytes);
    }
    return size;
  }

 private:
  GsmHandle state_;
  std::array<gsm_signal, kFrameSamples> input_{};
};

class GsmDecoder final : public AudioDecoder {
 public:
  explicit GsmDecoder(GsmHandle state) : state_(std::move(state)) {}

  CodecId codec() const override { return CodecId::Gsm; }
  std::uint32_t sample_rate() const override { return 8000; }

  base::Expected<std::size_t, CodecError> decoded_samples(
      std::span<const std::uint8_t> payload) const override {
    if (payload.empty() || payload.size() % kFrameBytes != 0) {
      return base::unexpected(CodecError::BadPayload);
    }
    for (std::size_t offset = 0; offset < payload.size(); offset += kFrameBytes) {
      if ((payload[offset] >> 4) != kSignature) return base::unexpected(CodecError::BadPayload);
    }
    return payload.size() / kFrameBytes * kFrameSamples;
  }

 protected:
  base::Expected<std::size_t, CodecError> decode_checked(std::span<const std::uint8_t> payload,
                                                         std::span<std::int16_t> out) override {
    for (std::size_t frame = 0; frame * kFrameBytes < payload.size(); ++frame) {
      std::copy_n(payload.begin() + static_cast<std::ptrdiff_t>(frame * kFrameBytes), kFrameBytes,
                  input_.begin());
      if (gsm_decode(state_.get(), input_.data(), out.data() + frame * kFrameSamples) != 0) {
        return base::unexpected(CodecError::BadPayload);
      }
    }
    concealer_.remember(out);
    return out.size();
  }
  base::Expected<std::size_t, CodecError> conceal_checked(std::span<std::int16_t> out) override {
    concealer_.fill(out);
    return out.size();
  }

 private:
  GsmHandle state_;
  std::array<gsm_byte, kFrameBytes> input_{};
  PitchConcealer concealer_;
};

}  // namespace

base::Expected<AudioEncoderPtr, CodecError> make_gsm_encoder() {
  GsmHandle state(gsm_create());
  if (!state) return base::unexpected(CodecError::LibraryFailure);
  return AudioEncoderPtr(std::make_unique<GsmEncoder>(std::move(state)));
}

base::Expected<AudioDecoderPtr, CodecError> make_gsm_decoder() {
  GsmHandle state(gsm_create());
  if (!state) return base::unexpected(CodecError::LibraryFailure);
  return AudioDecoderPtr(std::make_unique<GsmDecoder>(std::move(state)));
}

}  // namespace kolokol::media
