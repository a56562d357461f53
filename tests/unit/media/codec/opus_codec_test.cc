#include "media/codec/opus_codec.h"

#include <gtest/gtest.h>

#include <vector>

#include "audio_measure.h"

namespace kolokol::media {
namespace {

using testing::Pcm;
using Bytes = std::vector<std::uint8_t>;

AudioEncoderPtr encoder_at(std::uint32_t rate, std::uint32_t bitrate = 32000) {
  auto encoder = make_opus_encoder({.sample_rate = rate, .bitrate = bitrate});
  EXPECT_TRUE(encoder);
  return encoder ? std::move(*encoder) : nullptr;
}
AudioDecoderPtr decoder_at(std::uint32_t rate) {
  auto decoder = make_opus_decoder(rate);
  EXPECT_TRUE(decoder);
  return decoder ? std::move(*decoder) : nullptr;
}

struct ToneCase {
  std::uint32_t rate;
  double frequency;
};
class OpusTone : public ::testing::TestWithParam<ToneCase> {};

TEST_P(OpusTone, SurvivesEncodeAndDecode) {
  const auto [rate, frequency] = GetParam();
  auto encoder = encoder_at(rate);
  auto decoder = decoder_at(rate);
  ASSERT_EQ(encoder->samples_per_frame(), rate / 50);
  const Pcm tone = testing::sine(rate, frequency, rate);
  auto result = testing::round_trip(*encoder, *decoder, tone, rate / 50);
  ASSERT_EQ(result.decoded.size(), tone.size());
  std::size_t total = 0;
  for (std::size_t size : result.payload_sizes) {
    EXPECT_GT(size, 10u);
    EXPECT_LE(size, encoder->max_payload_size(rate / 50));
    total += size;
  }
  // 32 kbit/s for one second, give or take what VBR does with a pure tone.
  EXPECT_LT(total, 32000 / 8 * 3 / 2);
  const std::span<const std::int16_t> settled = std::span(result.decoded).subspan(rate / 10);
  EXPECT_NEAR(testing::dominant_frequency(settled, rate, 100, rate / 2.0 - 100, 10), frequency, 10);
  EXPECT_GT(testing::aligned_snr_db(tone, result.decoded, rate / 100, rate / 10), 15);
  const double ratio = testing::rms(settled) / testing::rms(tone);
  EXPECT_GT(ratio, 0.7);
  EXPECT_LT(ratio, 1.3);
}

INSTANTIATE_TEST_SUITE_P(RatesAndTones, OpusTone,
                         ::testing::Values(ToneCase{8000, 440}, ToneCase{8000, 1000},
                                           ToneCase{48000, 440}, ToneCase{48000, 1000}));

// RFC 7587: the PCM rate is a local choice; a packet made at 8 kHz plays at 48 kHz.
TEST(Opus, DecodesAtAnotherRateThanEncoded) {
  auto encoder = encoder_at(8000);
  auto decoder = decoder_at(48000);
  const Pcm tone = testing::sine(8000, 1000, 8000);
  Bytes payload(1500);
  Pcm decoded;
  Pcm out(960);
  for (std::size_t offset = 0; offset < tone.size(); offset += 160) {
    auto size = encoder->encode(std::span(tone).subspan(offset, 160), payload);
    ASSERT_TRUE(size);
    auto samples = decoder->decode(std::span(payload).first(*size), out);
    ASSERT_TRUE(samples);
    ASSERT_EQ(*samples, 960u);
    decoded.insert(decoded.end(), out.begin(), out.end());
  }
  EXPECT_NEAR(testing::dominant_frequency(std::span(decoded).subspan(4800), 48000, 100, 8000, 10),
              1000, 10);
}

TEST(Opus, AcceptsEveryOpusDurationAndNothingElse) {
  auto encoder = encoder_at(48000);
  Bytes payload(4000);
  for (std::size_t samples : {120, 240, 480, 960, 1920, 2880}) {
    const Pcm pcm = testing::sine(48000, 440, samples);
    auto size = encoder->encode(pcm, payload);
    ASSERT_TRUE(size) << samples;
    auto decoder = decoder_at(48000);
    EXPECT_EQ(*decoder->decoded_samples(std::span(payload).first(*size)), samples);
  }
  EXPECT_EQ(encoder->encode(Pcm(961), payload).error(), CodecError::BadInput);
  EXPECT_EQ(encoder->encode(Pcm(), payload).error(), CodecError::BadInput);
  EXPECT_EQ(encoder->max_payload_size(961), 0u);
}

TEST(Opus, RefusesOptionsOutsideItsRanges) {
  EXPECT_EQ(make_opus_encoder({.sample_rate = 44100}).error(), CodecError::BadOption);
  EXPECT_EQ(make_opus_encoder({.bitrate = 1000}).error(), CodecError::BadOption);
  EXPECT_EQ(make_opus_encoder({.expected_loss_percent = 101}).error(), CodecError::BadOption);
  EXPECT_EQ(make_opus_decoder(22050).error(), CodecError::BadOption);
  for (std::uint32_t rate : {8000u, 12000u, 16000u, 24000u, 48000u}) {
    EXPECT_TRUE(make_opus_encoder({.sample_rate = rate})) << rate;
    EXPECT_TRUE(make_opus_decoder(rate)) << rate;
  }
}

TEST(Opus, RefusesEmptyMalformedAndOversizedPayloads) {
  auto decoder = decoder_at(48000);
  Pcm out(5760);
  EXPECT_EQ(decoder->decode({}, out).error(), CodecError::BadPayload);
  // Code 3 (arbitrary frame count) announcing 0 frames.
  EXPECT_EQ(decoder->decode(Bytes{0x03, 0x00}, out).error(), CodecError::BadPayload);
  // Code 3 announcing 63 frames of 20 ms: 1.26 s, beyond the 120 ms any packet may hold.
  EXPECT_EQ(decoder->decode(Bytes{0x0b, 0x3f, 0x00}, out).error(), CodecError::BadPayload);
  // Code 2 (two frames of different sizes) whose first frame is longer than the packet.
  EXPECT_EQ(decoder->decode(Bytes{0x02, 0xfb, 0x01, 0x02}, out).error(), CodecError::BadPayload);
  EXPECT_EQ(decoder->decode(Bytes(5000, 0x78), out).error(), CodecError::BadPayload);

  auto encoder = encoder_at(48000);
  Bytes payload(1500);
  const Pcm tone = testing::sine(48000, 440, 960);
  auto size = encoder->encode(tone, payload);
  ASSERT_TRUE(size);
  Pcm small(959);
  EXPECT_EQ(decoder->decode(std::span(payload).first(*size), small).error(),
            CodecError::OutputTooSmall);
}

// Encodes a 20 ms-framed tone at 32 kbit/s with 20% expected loss, where opus spends bits on a
// low-rate copy of each frame in the next packet. (At 16 kbit/s it would not: too few bits.)
std::vector<Bytes> encode_tone_packets(std::uint32_t rate, const Pcm& tone) {
  auto encoder = make_opus_encoder({.sample_rate = rate, .expected_loss_percent = 20});
  EXPECT_TRUE(encoder);
  std::vector<Bytes> packets;
  Bytes payload(1500);
  const std::size_t frame = rate / 50;
  for (std::size_t offset = 0; offset + frame <= tone.size(); offset += frame) {
    auto size = (*encoder)->encode(std::span(tone).subspan(offset, frame), payload);
    EXPECT_TRUE(size);
    packets.emplace_back(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(*size));
  }
  return packets;
}

class OpusFec : public ::testing::TestWithParam<std::uint32_t> {};

// Packet 25 is lost. One decoder rebuilds it from packet 26's FEC copy, a second one can only
// conceal it: the FEC copy must be markedly better (PLC fades a 20 ms gap to about half).
TEST_P(OpusFec, RecoversALostPacketFromTheNextOnesFec) {
  const std::uint32_t rate = GetParam();
  const std::size_t frame = rate / 50;
  const Pcm tone = testing::sine(rate, 440, rate);
  const auto packets = encode_tone_packets(rate, tone);
  auto with_fec = decoder_at(rate);
  auto without = decoder_at(rate);
  Pcm out(frame);
  constexpr std::size_t kLost = 25;
  for (std::size_t i = 0; i < kLost; ++i) {
    ASSERT_TRUE(with_fec->decode(packets[i], out));
    ASSERT_TRUE(without->decode(packets[i], out));
  }

  ASSERT_EQ(with_fec->concealment_samples(), frame);
  Pcm recovered(frame);
  ASSERT_EQ(*with_fec->recover_from_next(packets[kLost + 1], recovered), frame);
  Pcm concealed(frame);
  ASSERT_EQ(*without->conceal(concealed), frame);
  const double recovered_level = testing::rms(recovered) / testing::rms(tone);
  const double concealed_level = testing::rms(concealed) / testing::rms(tone);
  EXPECT_GT(recovered_level, 0.8);
  EXPECT_LT(recovered_level, 1.2);
  EXPECT_GT(recovered_level, 1.3 * concealed_level);
  EXPECT_NEAR(testing::dominant_frequency(recovered, rate, 100, 3900, 20), 440, 20);
  // Playback continues with the packet that carried the copy, at full level.
  ASSERT_EQ(*with_fec->decode(packets[kLost + 1], out), frame);
  EXPECT_GT(testing::rms(out) / testing::rms(tone), 0.8);
}

INSTANTIATE_TEST_SUITE_P(Rates, OpusFec, ::testing::Values(8000u, 48000u));

// Without FEC data the decoder still must fill the gap, with opus PLC.
TEST(Opus, ConcealsWithThePacketDurationLastDecoded) {
  auto encoder = encoder_at(16000);
  auto decoder = decoder_at(16000);
  const Pcm tone = testing::sine(16000, 500, 16000);
  Bytes payload(1500);
  Pcm out(1920);
  for (std::size_t offset = 0; offset < 8000; offset += 640) {  // 40 ms packets
    auto size = encoder->encode(std::span(tone).subspan(offset, 640), payload);
    ASSERT_TRUE(size);
    ASSERT_EQ(*decoder->decode(std::span(payload).first(*size), out), 640u);
  }
  ASSERT_EQ(decoder->concealment_samples(), 640u);
  auto concealed = decoder->conceal(out);
  ASSERT_TRUE(concealed);
  EXPECT_EQ(*concealed, 640u);
  EXPECT_GT(testing::rms(std::span(out).first(320)), 0.3 * testing::rms(tone));
  Pcm small(639);
  EXPECT_EQ(decoder->conceal(small).error(), CodecError::OutputTooSmall);
  EXPECT_EQ(decoder->recover_from_next(Bytes{}, out).error(), CodecError::BadPayload);
}

}  // namespace
}  // namespace kolokol::media
