#include "media/codec/g729.h"

// bcg729's headers do not declare C linkage themselves.
extern "C" {
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
}

#include <algorithm>
#include <array>
#include <utility>

namespace kolokol::media {
namespace {

constexpr std::size_t kFrameSamples = 80;
constexpr std::size_t kFrameBytes = 10;
constexpr std::size_t kSidBytes = 2;

struct EncoderDeleter {
  void operator()(bcg729EncoderChannelContextStruct* context) const {
    closeBcg729EncoderChannel(context);
  }
};
struct DecoderDeleter {
  void operator()(bcg729DecoderChannelContextStruct* context) const {
    closeBcg729DecoderChannel(context);
  }
};
using EncoderContext = std::unique_ptr<bcg729EncoderChannelContextStruct, EncoderDeleter>;
using DecoderContext = std::unique_ptr<bcg729DecoderChannelContextStruct, DecoderDeleter>;

class G729Encoder final : public AudioEncoder {
 public:
  explicit G729Encoder(EncoderContext context) : context_(std::move(context)) {}

  CodecId codec() const override { return CodecId::G729; }
  std::uint32_t sample_rate() const override { return 8000; }
  std::size_t max_payload_size(std::size_t samples) const override {
    return samples % kFrameSamples == 0 ? samples / kFrameSamples * kFrameBytes : 0;
  }

  base::Expected<std::size_t, CodecError> encode(std::span<const std::int16_t> pcm,
                                                 std::span<std::uint8_t> out) override {
    if (pcm.empty() || pcm.size() % kFrameSamples != 0) {
      return base::unexpected(CodecError::BadInput);
    }
    if (out.size() < max_payload_size(pcm.size())) {
      return base::unexpected(CodecError::OutputTooSmall);
    }
    std::size_t written = 0;
    bool ends_with_sid = false;
    for (std::size_t offset = 0; offset < pcm.size(); offset += kFrameSamples) {
      std::array<std::uint8_t, kFrameBytes> frame{};
      std::uint8_t length = 0;
      bcg729Encoder(context_.get(), pcm.data() + offset, frame.data(), &length);
      if (length == 0) continue;  // DTX: nothing transmitted for this frame
      if (ends_with_sid) {
        written -= kSidBytes;  // a SID may only end a packet; the newer frame replaces it
        ends_with_sid = false;
      }
      if (length != kFrameBytes && length != kSidBytes) {
        return base::unexpected(CodecError::LibraryFailure);
      }
      std::copy_n(frame.begin(), length, out.begin() + static_cast<std::ptrdiff_t>(written));
      written += length;
      ends_with_sid = length == kSidBytes;
    }
    return written;
  }

 private:
  EncoderContext context_;
};

class G729Decoder final : public AudioDecoder {
 public:
  explicit G729Decoder(DecoderContext context) : context_(std::move(context)) {}

  CodecId codec() const override { return CodecId::G729; }
  std::uint32_t sample_rate() const override { return 8000; }

  base::Expected<std::size_t, CodecError> decoded_samples(
      std::span<const std::uint8_t> payload) const override {
    const std::size_t frames = payload.size() / kFrameBytes;
    const std::size_t rest = payload.size() % kFrameBytes;
    if (payload.empty() || (rest != 0 && rest != kSidBytes)) {
      return base::unexpected(CodecError::BadPayload);
    }
    return (frames + (rest == kSidBytes ? 1 : 0)) * kFrameSamples;
  }

 protected:
  base::Expected<std::size_t, CodecError> decode_checked(std::span<const std::uint8_t> payload,
                                                         std::span<std::int16_t> out) override {
    std::size_t offset = 0;
    for (std::int16_t* frame_out = out.data(); offset < payload.size();
         frame_out += kFrameSamples) {
      const bool sid = payload.size() - offset == kSidBytes;
      const std::size_t length = sid ? kSidBytes : kFrameBytes;
      bcg729Decoder(context_.get(), payload.data() + offset, static_cast<std::uint8_t>(length),
                    /*frameErasureFlag=*/0, /*SIDFrameFlag=*/sid ? 1 : 0,
                    /*rfc3389PayloadFlag=*/0, frame_out);
      offset += length;
    }
    return out.size();
  }

  base::Expected<std::size_t, CodecError> conceal_checked(std::span<std::int16_t> out) override {
    // The erasure procedure ignores the bits; it is handed a zeroed frame to read from anyway.
    const std::array<std::uint8_t, kFrameBytes> no_bits{};
    for (std::size_t offset = 0; offset + kFrameSamples <= out.size(); offset += kFrameSamples) {
      bcg729Decoder(context_.get(), no_bits.data(), kFrameBytes, /*frameErasureFlag=*/1, 0, 0,
                    out.data() + offset);
    }
    return out.size();
  }

 private:
  DecoderContext context_;
};

}  // namespace

base::Expected<AudioEncoderPtr, CodecError> make_g729_encoder(bool vad) {
  EncoderContext context(initBcg729EncoderChannel(vad ? 1 : 0));
  if (!context) return base::unexpected(CodecError::LibraryFailure);
  return AudioEncoderPtr(std::make_unique<G729Encoder>(std::move(context)));
}

base::Expected<AudioDecoderPtr, CodecError> make_g729_decoder() {
  DecoderContext context(initBcg729DecoderChannel());
  if (!context) return base::unexpected(CodecError::LibraryFailure);
  return AudioDecoderPtr(std::make_unique<G729Decoder>(std::move(context)));
}

}  // namespace kolokol::media
