#include "media/codec/g711.h"

#include <array>

#include "media/codec/pitch_concealer.h"

namespace kolokol::media {
namespace {

// Index of the highest set bit (value > 0).
constexpr int top_bit(int value) {
  int bit = 0;
  while (value >>= 1) ++bit;
  return bit;
}

// mu-law works on 14-bit magnitudes biased by 33 so that each segment is a power-of-two band:
// segment s holds biased values [32 << s, 64 << s), quantised in 16 steps of 2 << s.
// Negative samples use the one's complement, which makes the law symmetric about -1/2.
constexpr std::uint8_t encode_ulaw(int sample14) {
  const bool negative = sample14 < 0;
  int magnitude = negative ? -sample14 - 1 : sample14;
  if (magnitude > 8158) magnitude = 8158;
  const int biased = magnitude + 33;
  const int segment = top_bit(biased) - 5;
  const int step = (biased >> (segment + 1)) & 0x0f;
  const int code = (segment << 4) | step;
  // Codes are transmitted inverted; the sign bit is 1 for positive.
  return static_cast<std::uint8_t>(negative ? (0x7f ^ code) : (0xff ^ code));
}

// Decodes to the middle of the quantisation interval, in 16-bit scale (14-bit value << 2).
constexpr std::int16_t decode_ulaw(std::uint8_t code) {
  const int inverted = ~code & 0xff;
  const int segment = (inverted >> 4) & 0x07;
  const int step = inverted & 0x0f;
  const int magnitude = (((step << 3) + 0x84) << segment) - 0x84;
  return static_cast<std::int16_t>((inverted & 0x80) ? -magnitude : magnitude);
}

// A-law works on 13-bit magnitudes: segment 0 and 1 are linear with steps of 2, segment s >= 1
// holds [16 << s, 32 << s) in 16 steps of 1 << s. Even bits are inverted on the line (0x55).
constexpr std::uint8_t encode_alaw(int sample13) {
  const bool negative = sample13 < 0;
  const int magnitude = negative ? -sample13 - 1 : sample13;
  const int segment = magnitude < 32 ? 0 : top_bit(magnitude) - 4;
  const int step = (segment == 0 ? magnitude >> 1 : magnitude >> segment) & 0x0f;
  const int code = (negative ? 0x00 : 0x80) | (segment << 4) | step;
  return static_cast<std::uint8_t>(code ^ 0x55);
}

constexpr std::int16_t decode_alaw(std::uint8_t code) {
  const int plain = code ^ 0x55;
  const int segment = (plain >> 4) & 0x07;
  const int step = plain & 0x0f;
  const int magnitude = segment == 0 ? (step << 4) + 8 : ((step << 4) + 0x108) << (segment - 1);
  return static_cast<std::int16_t>((plain & 0x80) ? magnitude : -magnitude);
}

constexpr auto kUlawEncode = [] {
  std::array<std::uint8_t, 1 << 14> table{};
  for (int i = 0; i < (1 << 14); ++i) table[i] = encode_ulaw(i - (1 << 13));
  return table;
}();
constexpr auto kAlawEncode = [] {
  std::array<std::uint8_t, 1 << 13> table{};
  for (int i = 0; i < (1 << 13); ++i) table[i] = encode_alaw(i - (1 << 12));
  return table;
}();
constexpr auto kUlawDecode = [] {
  std::array<std::int16_t, 256> table{};
  for (int i = 0; i < 256; ++i) table[i] = decode_ulaw(static_cast<std::uint8_t>(i));
  return table;
}();
constexpr auto kAlawDecode = [] {
  std::array<std::int16_t, 256> table{};
  for (int i = 0; i < 256; ++i) table[i] = decode_alaw(static_cast<std::uint8_t>(i));
  return table;
}();

class G711Encoder final : public AudioEncoder {
 public:
  explicit G711Encoder(G711Law law) : law_(law) {}

  CodecId codec() const override { return law_ == G711Law::MuLaw ? CodecId::Pcmu : CodecId::Pcma; }
  std::uint32_t sample_rate() const override { return 8000; }
  std::size_t max_payload_size(std::size_t samples) const override { return samples; }

  base::Expected<std::size_t, CodecError> encode(std::span<const std::int16_t> pcm,
                                                 std::span<std::uint8_t> out) override {
    if (pcm.empty()) return base::unexpected(CodecError::BadInput);
    if (out.size() < pcm.size()) return base::unexpected(CodecError::OutputTooSmall);
    if (law_ == G711Law::MuLaw) {
      for (std::size_t i = 0; i < pcm.size(); ++i) out[i] = linear_to_ulaw(pcm[i]);
    } else {
      for (std::size_t i = 0; i < pcm.size(); ++i) out[i] = linear_to_alaw(pcm[i]);
    }
    return pcm.size();
  }

 private:
  G711Law law_;
};

class G711Decoder final : public AudioDecoder {
 public:
  explicit G711Decoder(G711Law law) : law_(law) {}

  CodecId codec() const override { return law_ == G711Law::MuLaw ? CodecId::Pcmu : CodecId::Pcma; }
  std::uint32_t sample_rate() const override { return 8000; }
  base::Expected<std::size_t, CodecError> decoded_samples(
      std::span<const std::uint8_t> payload) const override {
    if (payload.empty()) return base::unexpected(CodecError::BadPayload);
    return payload.size();
  }

 protected:
  base::Expected<std::size_t, CodecError> decode_checked(std::span<const std::uint8_t> payload,
                                                         std::span<std::int16_t> out) override {
    const auto& table = law_ == G711Law::MuLaw ? kUlawDecode : kAlawDecode;
    for (std::size_t i = 0; i < payload.size(); ++i) out[i] = table[payload[i]];
    concealer_.remember(out);
    return out.size();
  }
  base::Expected<std::size_t, CodecError> conceal_checked(std::span<std::int16_t> out) override {
    concealer_.fill(out);
    return out.size();
  }

 private:
  G711Law law_;
  PitchConcealer concealer_;
};

}  // namespace

std::uint8_t linear_to_ulaw(std::int16_t sample) {
  return kUlawEncode[(sample >> 2) + (1 << 13)];
}
std::int16_t ulaw_to_linear(std::uint8_t code) {
  return kUlawDecode[code];
}
std::uint8_t linear_to_alaw(std::int16_t sample) {
  return kAlawEncode[(sample >> 3) + (1 << 12)];
}
std::int16_t alaw_to_linear(std::uint8_t code) {
  return kAlawDecode[code];
}

AudioEncoderPtr make_g711_encoder(G711Law law) {
  return std::make_unique<G711Encoder>(law);
}
AudioDecoderPtr make_g711_decoder(G711Law law) {
  return std::make_unique<G711Decoder>(law);
}

}  // namespace kolokol::media
