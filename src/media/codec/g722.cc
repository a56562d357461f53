#include "media/codec/g722.h"

#include <utility>

// spandsp's headers need the C fixed-width types and telephony.h before them.
// clang-format off
#include <stdint.h>  // NOLINT(modernize-deprecated-headers)
#include <spandsp/telephony.h>
#include <spandsp/g722.h>
// clang-format on

#include "media/codec/pitch_concealer.h"

namespace kolokol::media {
namespace {

constexpr int kBitRate = 64000;
// Refused beyond this so that lengths always fit the library's int arguments.
constexpr std::size_t kMaxPayload = 1 << 16;

struct EncodeStateDeleter {
  void operator()(g722_encode_state_t* state) const { g722_encode_free(state); }
};
struct DecodeStateDeleter {
  void operator()(g722_decode_state_t* state) const { g722_decode_free(state); }
};
using EncodeState = std::unique_ptr<g722_encode_state_t, EncodeStateDeleter>;
using DecodeState = std::unique_ptr<g722_decode_state_t, DecodeStateDeleter>;

class G722Encoder final : public AudioEncoder {
 public:
  explicit G722Encoder(EncodeState state) : state_(std::move(state)) {}

  CodecId codec() const override { return CodecId::G722; }
  std::uint32_t sample_rate() const override { return 16000; }
  std::size_t max_payload_size(std::size_t samples) const override {
    return samples % 2 == 0 ? samples / 2 : 0;
  }

  base::Expected<std::size_t, CodecError> encode(std::span<const std::int16_t> pcm,
                                                 std::span<std::uint8_t> out) override {
    if (pcm.empty() || pcm.size() % 2 != 0 || pcm.size() / 2 > kMaxPayload) {
      return base::unexpected(CodecError::BadInput);
    }
    if (out.size() < pcm.size() / 2) return base::unexpected(CodecError::OutputTooSmall);
    const int written =
        g722_encode(state_.get(), out.data(), pcm.data(), static_cast<int>(pcm.size()));
    return static_cast<std::size_t>(written);
  }

 private:
  EncodeState state_;
};

class G722Decoder final : public AudioDecoder {
 public:
  explicit G722Decoder(DecodeState state) : state_(std::move(state)) {}

  CodecId codec() const override { return CodecId::G722; }
  std::uint32_t sample_rate() const override { return 16000; }
  base::Expected<std::size_t, CodecError> decoded_samples(
      std::span<const std::uint8_t> payload) const override {
    if (payload.empty() || payload.size() > kMaxPayload) {
      return base::unexpected(CodecError::BadPayload);
    }
    return 2 * payload.size();
  }

 protected:
  base::Expected<std::size_t, CodecError> decode_checked(std::span<const std::uint8_t> payload,
                                                         std::span<std::int16_t> out) override {
    const int written =
        g722_decode(state_.get(), out.data(), payload.data(), static_cast<int>(payload.size()));
    if (written < 0 || static_cast<std::size_t>(written) != out.size()) {
      return base::unexpected(CodecError::BadPayload);
    }
    concealer_.remember(out);
    return out.size();
  }
  base::Expected<std::size_t, CodecError> conceal_checked(std::span<std::int16_t> out) override {
    concealer_.fill(out);
    return out.size();
  }

 private:
  DecodeState state_;
  PitchConcealer concealer_;
};

}  // namespace

base::Expected<AudioEncoderPtr, CodecError> make_g722_encoder() {
  EncodeState state(g722_encode_init(nullptr, kBitRate, 0));
  if (!state) return base::unexpected(CodecError::LibraryFailure);
  return AudioEncoderPtr(std::make_unique<G722Encoder>(std::move(state)));
}

base::Expected<AudioDecoderPtr, CodecError> make_g722_decoder() {
  DecodeState state(g722_decode_init(nullptr, kBitRate, 0));
  if (!state) return base::unexpected(CodecError::LibraryFailure);
  return AudioDecoderPtr(std::make_unique<G722Decoder>(std::move(state)));
}

}  // namespace kolokol::media
