// One direction of a transcoded call: RTP of one codec in, RTP of another out, checked by what
// the output sounds like (Goertzel) and by its header (our SSRC, the sender's sequence numbers,
// timestamps on the output clock), plus RFC 4733 events and packets that must be refused.
#include "media/engine/transcoding_path.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "media/codec/codec_factory.h"
#include "media/rtp/rtp_packet.h"

namespace kolokol::media {
namespace {

using Pcm = std::vector<std::int16_t>;

constexpr std::uint8_t kOpusType = 111;
constexpr std::uint8_t kEventIn = 101;
constexpr std::uint8_t kEventOut = 100;
constexpr std::uint32_t kSenderSsrc = 0x5EED1234;
constexpr std::size_t kRoom = 1500;

Pcm sine(std::uint32_t rate, double frequency, std::size_t samples, double amplitude = 8000) {
  Pcm out(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    out[i] = static_cast<std::int16_t>(
        amplitude * std::sin(2 * std::numbers::pi * frequency * static_cast<double>(i) / rate));
  }
  return out;
}

// Amplitude of one frequency (Goertzel), in the units of the samples.
double tone_amplitude(std::span<const std::int16_t> pcm, std::uint32_t rate, double frequency) {
  const double coefficient = 2 * std::cos(2 * std::numbers::pi * frequency / rate);
  double s1 = 0;
  double s2 = 0;
  for (std::int16_t sample : pcm) {
    const double s0 = sample + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return 2 * std::sqrt(std::max(power, 0.0)) / static_cast<double>(pcm.size());
}

double rms(std::span<const std::int16_t> pcm) {
  double sum = 0;
  for (std::int16_t sample : pcm) sum += static_cast<double>(sample) * sample;
  return std::sqrt(sum / static_cast<double>(pcm.size()));
}

// `pcm` carries a clean tone of `frequency`: nearly all its energy is there, none at the others.
void expect_tone(std::span<const std::int16_t> pcm, std::uint32_t rate, double frequency,
                 double min_amplitude) {
  ASSERT_FALSE(pcm.empty());
  const double amplitude = tone_amplitude(pcm, rate, frequency);
  EXPECT_GT(amplitude, min_amplitude) << frequency << " Hz at " << rate;
  // A sine of amplitude A has an RMS of A / sqrt(2): the tone is (almost) all there is.
  EXPECT_GT(amplitude / std::sqrt(2.0), 0.9 * rms(pcm)) << frequency << " Hz";
  for (double other : {frequency * 0.5, frequency * 1.5, frequency * 2.0}) {
    EXPECT_LT(tone_amplitude(pcm, rate, other), 0.1 * amplitude) << other << " Hz";
  }
}

struct Datagram {
  std::vector<std::uint8_t> bytes;
  std::size_t size = 0;
};

Datagram rtp(std::uint8_t payload_type, std::uint16_t sequence, std::uint32_t timestamp,
             std::span<const std::uint8_t> payload, bool marker = false, std::size_t room = kRoom) {
  RtpPacket packet;
  packet.payload_type = payload_type;
  packet.sequence = sequence;
  packet.timestamp = timestamp;
  packet.ssrc = kSenderSsrc;
  packet.marker = marker;
  packet.payload = payload;
  Datagram out;
  out.bytes.resize(room);
  out.size = serialize_rtp(packet, out.bytes);
  EXPECT_GT(out.size, 0u);
  return out;
}

struct Output {
  std::uint8_t payload_type = 0;
  bool marker = false;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::vector<std::uint8_t> payload;
};

std::optional<Output> parse_output(const Datagram& d, std::size_t size) {
  auto packet = parse_rtp({d.bytes.data(), size});
  EXPECT_TRUE(packet);
  if (!packet) return std::nullopt;
  const RtpPacket& p = packet.value();
  return Output{p.payload_type, p.marker,
                p.sequence,     p.timestamp,
                p.ssrc,         std::vector<std::uint8_t>(p.payload.begin(), p.payload.end())};
}

struct Stream {
  std::vector<Output> packets;
  std::size_t fed = 0;
};

// Encodes `pcm` with `codec` in packets of `packet_samples` (at `rate`, the encoder's PCM rate)
// and sends each through the path: sequence numbers from `first_sequence`, timestamps from
// `first_timestamp` in steps of `timestamp_step`.
Stream run(TranscodingPath& path, CodecId codec, std::uint8_t payload_type, std::uint32_t rate,
           const Pcm& pcm, std::size_t packet_samples, std::uint16_t first_sequence,
           std::uint32_t first_timestamp, std::uint32_t timestamp_step) {
  CodecOptions options;
  options.opus.sample_rate = rate;
  auto encoder = make_encoder(codec, options);
  EXPECT_TRUE(encoder);
  Stream out;
  if (!encoder) return out;
  std::vector<std::uint8_t> payload(kRoom);
  for (std::size_t at = 0; at + packet_samples <= pcm.size(); at += packet_samples) {
    auto size = encoder.value()->encode({pcm.data() + at, packet_samples}, payload);
    EXPECT_TRUE(size);
    if (!size) return out;
    const auto index = static_cast<std::uint32_t>(at / packet_samples);
    Datagram d = rtp(payload_type, static_cast<std::uint16_t>(first_sequence + index),
                     first_timestamp + index * timestamp_step, {payload.data(), size.value()});
    ++out.fed;
    const std::size_t written = path.transcode(d.bytes, d.size);
    if (written == 0) continue;
    EXPECT_LE(written, d.bytes.size());
    if (auto parsed = parse_output(d, written)) out.packets.push_back(std::move(*parsed));
  }
  return out;
}

Pcm decode_all(const std::vector<Output>& packets, CodecId codec, std::uint32_t rate) {
  CodecOptions options;
  options.opus.sample_rate = rate;
  auto decoder = make_decoder(codec, options);
  EXPECT_TRUE(decoder);
  Pcm out;
  if (!decoder) return out;
  Pcm buffer(rate / 1000 * 120);
  for (const Output& packet : packets) {
    auto samples = decoder.value()->decode(packet.payload, buffer);
    EXPECT_TRUE(samples);
    if (samples) out.insert(out.end(), buffer.begin(), buffer.begin() + samples.value());
  }
  return out;
}

// Header checks common to every audio direction: `to`'s type, one SSRC that is not the sender's,
// the sender's sequence numbers, timestamps `step` apart per input packet (0: not checked).
void expect_headers(const Stream& s, std::uint8_t payload_type, std::uint16_t first_sequence,
                    std::uint32_t step, std::size_t min_packets) {
  ASSERT_GE(s.packets.size(), min_packets);
  const Output& first = s.packets.front();
  EXPECT_NE(first.ssrc, kSenderSsrc);
  for (std::size_t i = 0; i < s.packets.size(); ++i) {
    const Output& p = s.packets[i];
    EXPECT_EQ(p.payload_type, payload_type);
    EXPECT_EQ(p.ssrc, first.ssrc);
    const std::uint16_t distance = static_cast<std::uint16_t>(p.sequence - first.sequence);
    if (step != 0) {
      EXPECT_EQ(p.timestamp - first.timestamp, distance * step) << "packet " << i;
    }
    if (i > 0) {
      const auto step_in_sequence =
          static_cast<std::uint16_t>(p.sequence - s.packets[i - 1].sequence);
      EXPECT_EQ(step_in_sequence, 1) << "packet " << i;  // once started, one out per packet in
    }
  }
  // Packets dropped while the output buffers are only ever the first ones.
  EXPECT_EQ(s.packets.back().sequence, static_cast<std::uint16_t>(first_sequence + s.fed - 1));
}

// Each output packet starts where the one before it ended: its timestamp is the previous one's
// plus the previous packet's duration (decoded at `rate`, counted in `codec`'s RTP clock).
void expect_contiguous(const Stream& s, CodecId codec, std::uint32_t rate) {
  CodecOptions options;
  options.opus.sample_rate = rate;
  auto decoder = make_decoder(codec, options);
  ASSERT_TRUE(decoder);
  Pcm buffer(rate / 1000 * 120);
  std::size_t breaks = 0;
  std::string first_break;
  for (std::size_t i = 0; i + 1 < s.packets.size(); ++i) {
    auto samples = decoder.value()->decode(s.packets[i].payload, buffer);
    ASSERT_TRUE(samples);
    const auto duration =
        static_cast<std::uint32_t>(samples.value() * codec_info(codec).clock_rate / rate);
    const std::uint32_t step = s.packets[i + 1].timestamp - s.packets[i].timestamp;
    if (step != duration && breaks++ == 0) {
      first_break = "packet " + std::to_string(i) + " lasts " + std::to_string(duration) +
                    ", the next starts " + std::to_string(step) + " later";
    }
  }
  EXPECT_EQ(breaks, 0u) << "first: " << first_break;
}

std::unique_ptr<TranscodingPath> make_path(LegCodec from, LegCodec to) {
  auto path = TranscodingPath::create(from, to);
  EXPECT_TRUE(path) << (path ? "" : path.error());
  if (!path) return nullptr;
  return std::move(path.value());
}

TEST(TranscodingPath, PcmaToOpusCarriesTheTone) {
  auto path = make_path({CodecId::Pcma, 8, std::nullopt}, {CodecId::Opus, kOpusType, std::nullopt});
  ASSERT_TRUE(path);
  const Pcm tone = sine(8000, 440, 50 * 160);
  const Stream s = run(*path, CodecId::Pcma, 8, 8000, tone, 160, 1000, 0x9ABCDEF0u, 160);
  ASSERT_EQ(s.fed, 50u);
  ASSERT_EQ(s.packets.size(), 50u);  // same rate: nothing to buffer
  expect_headers(s, kOpusType, 1000, 960, 50);
  for (std::size_t i = 0; i < s.packets.size(); ++i) {
    EXPECT_EQ(s.packets[i].sequence, 1000 + i);
  }
  EXPECT_EQ(path->refused(), 0u);
  const Pcm decoded = decode_all(s.packets, CodecId::Opus, 8000);
  ASSERT_EQ(decoded.size(), 50u * 160);
  // Past the codec's start-up (opus look-ahead, encoder convergence): 200 ms.
  expect_tone(std::span(decoded).subspan(1600), 8000, 440, 4000);
}

TEST(TranscodingPath, OpusToPcmaCarriesTheTone) {
  auto path = make_path({CodecId::Opus, kOpusType, std::nullopt}, {CodecId::Pcma, 8, std::nullopt});
  ASSERT_TRUE(path);
  const Pcm tone = sine(48000, 440, 50 * 960);
  const Stream s = run(*path, CodecId::Opus, kOpusType, 48000, tone, 960, 65520, 12345, 960);
  ASSERT_EQ(s.packets.size(), 50u);
  expect_headers(s, 8, 65520, 160, 50);  // the sequence numbers wrap past 65535 on the way
  EXPECT_EQ(s.packets.back().sequence, 33);
  for (const Output& p : s.packets) EXPECT_EQ(p.payload.size(), 160u);
  const Pcm decoded = decode_all(s.packets, CodecId::Pcma, 8000);
  expect_tone(std::span(decoded).subspan(1600), 8000, 440, 4000);
}

TEST(TranscodingPath, G722ToPcmuResamplesAndKeepsTheTone) {
  auto path = make_path({CodecId::G722, 9, std::nullopt}, {CodecId::Pcmu, 0, std::nullopt});
  ASSERT_TRUE(path);
  const Pcm tone = sine(16000, 1000, 50 * 320);
  // G.722 timestamps count at 8 kHz (RFC 3551 4.5.2), as PCMU's do.
  const Stream s = run(*path, CodecId::G722, 9, 16000, tone, 320, 7, 4000000000u, 160);
  ASSERT_EQ(s.fed, 50u);
  expect_headers(s, 0, 7, 160, 47);
  for (const Output& p : s.packets) EXPECT_EQ(p.payload.size(), 160u);
  const Pcm decoded = decode_all(s.packets, CodecId::Pcmu, 8000);
  expect_tone(std::span(decoded).subspan(1600), 8000, 1000, 4000);
}

TEST(TranscodingPath, PcmuToG722ResamplesAndKeepsTheTone) {
  auto path = make_path({CodecId::Pcmu, 0, std::nullopt}, {CodecId::G722, 9, std::nullopt});
  ASSERT_TRUE(path);
  const Pcm tone = sine(8000, 1000, 50 * 160);
  const Stream s = run(*path, CodecId::Pcmu, 0, 8000, tone, 160, 500, 0, 160);
  expect_headers(s, 9, 500, 160, 47);
  for (const Output& p : s.packets) EXPECT_EQ(p.payload.size(), 160u);
  const Pcm decoded = decode_all(s.packets, CodecId::G722, 16000);
  expect_tone(std::span(decoded).subspan(3200), 16000, 1000, 4000);
}

TEST(TranscodingPath, G729ToOpusAt48kClock) {
  auto path =
      make_path({CodecId::G729, 18, std::nullopt}, {CodecId::Opus, kOpusType, std::nullopt});
  ASSERT_TRUE(path);
  const Pcm tone = sine(8000, 440, 50 * 160);
  const Stream s = run(*path, CodecId::G729, 18, 8000, tone, 160, 1, 1000, 160);
  ASSERT_EQ(s.packets.size(), 50u);
  expect_headers(s, kOpusType, 1, 960, 50);
  const Pcm decoded = decode_all(s.packets, CodecId::Opus, 8000);
  expect_tone(std::span(decoded).subspan(1600), 8000, 440, 3000);
}

// Phones packetizing 30 or 40 ms (a=ptime:30/40 is common with G.729 and G.711) send more
// audio per packet than one 20 ms frame: every input packet's audio must go out, in whole frames,
// without the delay growing. `packet_samples` at 8 kHz in; the output decoded at 8 kHz.
void expect_long_packets_lose_no_audio(CodecId in, std::uint8_t in_type, CodecId out,
                                       std::uint8_t out_type, std::size_t packet_samples) {
  auto path = make_path({in, in_type, std::nullopt}, {out, out_type, std::nullopt});
  ASSERT_TRUE(path);
  const Pcm tone = sine(8000, 440, 50 * packet_samples);
  const auto step = static_cast<std::uint32_t>(packet_samples);
  const Stream s = run(*path, in, in_type, 8000, tone, packet_samples, 1, 0, step);
  ASSERT_EQ(s.fed, 50u);
  expect_headers(s, out_type, 1, 0, 25);
  expect_contiguous(s, out, 8000);
  const Pcm decoded = decode_all(s.packets, out, 8000);
  EXPECT_GE(decoded.size(), tone.size() * 9 / 10)
      << tone.size() / 8 << " ms of audio in, " << decoded.size() / 8 << " ms out";
  if (decoded.size() > 1600) expect_tone(std::span(decoded).subspan(1600), 8000, 440, 3000);
}

TEST(TranscodingPath, FortyMillisecondPcmaToPcmuLosesNoAudio) {
  expect_long_packets_lose_no_audio(CodecId::Pcma, 8, CodecId::Pcmu, 0, 320);
}

// 30 ms in, whole 20 ms frames out: packets out alternate 20 and 40 ms, and each must be stamped
// with the time of its own first sample so the timeline stays continuous (no overlap, no gap).
TEST(TranscodingPath, ThirtyMillisecondG729ToPcmaKeepsAudioAndTiming) {
  expect_long_packets_lose_no_audio(CodecId::G729, 18, CodecId::Pcma, 8, 240);
}

// Towards opus too, although the encoder's worst-case bound for 40 ms (2 * 1275 + 5 bytes) is
// larger than the relay's 1500-byte datagrams: a real 40 ms packet at 32 kbit/s is ~160 bytes.
TEST(TranscodingPath, FortyMillisecondPcmaToOpusLosesNoAudio) {
  expect_long_packets_lose_no_audio(CodecId::Pcma, 8, CodecId::Opus, kOpusType, 320);
}

TEST(TranscodingPath, OtherPayloadTypesAreDroppedNotRefused) {
  auto path = make_path({CodecId::Pcma, 8, kEventIn}, {CodecId::Opus, kOpusType, kEventOut});
  ASSERT_TRUE(path);
  const std::vector<std::uint8_t> payload(160, 0xD5);
  for (std::uint8_t type : {std::uint8_t{0}, std::uint8_t{13}, std::uint8_t{96}}) {
    Datagram d = rtp(type, 1, 160, payload);
    const std::vector<std::uint8_t> before = d.bytes;
    EXPECT_EQ(path->transcode(d.bytes, d.size), 0u) << int{type};
    EXPECT_EQ(d.bytes, before);  // untouched
  }
  EXPECT_EQ(path->refused(), 0u);
}

TEST(TranscodingPath, GarbageIsRefusedAndCounted) {
  auto opus_in =
      make_path({CodecId::Opus, kOpusType, std::nullopt}, {CodecId::Pcma, 8, std::nullopt});
  ASSERT_TRUE(opus_in);
  // A code-3 TOC byte without its frame count byte is not an opus packet.
  const std::vector<std::uint8_t> not_opus = {0x03};
  Datagram d = rtp(kOpusType, 1, 0, not_opus);
  EXPECT_EQ(opus_in->transcode(d.bytes, d.size), 0u);
  EXPECT_EQ(opus_in->refused(), 1u);
  // No payload at all.
  d = rtp(kOpusType, 2, 960, {});
  EXPECT_EQ(opus_in->transcode(d.bytes, d.size), 0u);
  EXPECT_EQ(opus_in->refused(), 2u);
  // Not RTP: truncated header, wrong version.
  std::vector<std::uint8_t> short_header = {0x80, kOpusType, 0, 3, 0};
  EXPECT_EQ(opus_in->transcode(short_header, short_header.size()), 0u);
  d = rtp(kOpusType, 4, 1920, not_opus);
  d.bytes[0] = 0x40;
  EXPECT_EQ(opus_in->transcode(d.bytes, d.size), 0u);
  EXPECT_EQ(opus_in->refused(), 4u);

  auto g729_in = make_path({CodecId::G729, 18, std::nullopt}, {CodecId::Pcmu, 0, std::nullopt});
  ASSERT_TRUE(g729_in);
  const std::vector<std::uint8_t> seven_bytes(7, 0x55);  // neither 10-byte frames nor a SID
  Datagram g = rtp(18, 1, 0, seven_bytes);
  EXPECT_EQ(g729_in->transcode(g.bytes, g.size), 0u);
  EXPECT_EQ(g729_in->refused(), 1u);

  // A payload longer than any packet the path has room to decode (PCMA: 1 byte a sample).
  auto pcma_in = make_path({CodecId::Pcma, 8, std::nullopt}, {CodecId::Pcmu, 0, std::nullopt});
  ASSERT_TRUE(pcma_in);
  const std::vector<std::uint8_t> huge(8000, 0xD5);
  Datagram h = rtp(8, 1, 0, huge, false, 8000 + 64);
  EXPECT_EQ(pcma_in->transcode(h.bytes, h.size), 0u);
  EXPECT_EQ(pcma_in->refused(), 1u);
}

// The output can be larger than the input (opus in, PCMA out): without room it is not written.
TEST(TranscodingPath, NoRoomForTheOutputWritesNothing) {
  auto path = make_path({CodecId::Opus, kOpusType, std::nullopt}, {CodecId::Pcma, 8, std::nullopt});
  ASSERT_TRUE(path);
  auto encoder = make_encoder(CodecId::Opus);
  ASSERT_TRUE(encoder);
  const Pcm tone = sine(48000, 440, 960);
  std::vector<std::uint8_t> payload(kRoom);
  auto size = encoder.value()->encode(tone, payload);
  ASSERT_TRUE(size);
  ASSERT_LT(size.value(), 160u);
  // Exactly as large as the datagram: ASan reports any write past it.
  Datagram d = rtp(kOpusType, 1, 0, {payload.data(), size.value()}, false,
                   RtpPacket::kFixedHeaderSize + size.value());
  ASSERT_EQ(d.size, d.bytes.size());
  EXPECT_EQ(path->transcode(d.bytes, d.size), 0u);
}

TEST(TranscodingPath, InputHeaderExtensionsAndCsrcsAreNotCopied) {
  auto path = make_path({CodecId::Pcma, 8, std::nullopt}, {CodecId::Pcmu, 0, std::nullopt});
  ASSERT_TRUE(path);
  auto encoder = make_encoder(CodecId::Pcma);
  ASSERT_TRUE(encoder);
  const Pcm tone = sine(8000, 440, 160);
  std::vector<std::uint8_t> payload(160);
  ASSERT_TRUE(encoder.value()->encode(tone, payload));
  const std::vector<std::uint8_t> extension_words = {0x10, 0xAA, 0x00, 0x00};
  RtpPacket packet;
  packet.payload_type = 8;
  packet.sequence = 77;
  packet.timestamp = 1234;
  packet.ssrc = kSenderSsrc;
  packet.marker = true;
  packet.csrc_count = 2;
  packet.csrcs[0] = 1;
  packet.csrcs[1] = 2;
  packet.extension = RtpHeaderExtension{0xBEDE, extension_words};
  packet.payload = payload;
  Datagram d;
  d.bytes.resize(kRoom);
  d.size = serialize_rtp(packet, d.bytes);
  ASSERT_GT(d.size, 0u);
  const std::size_t written = path->transcode(d.bytes, d.size);
  ASSERT_EQ(written, RtpPacket::kFixedHeaderSize + 160);
  auto out = parse_rtp({d.bytes.data(), written});
  ASSERT_TRUE(out);
  EXPECT_EQ(out.value().csrc_count, 0);
  EXPECT_FALSE(out.value().extension);
  EXPECT_TRUE(out.value().marker);
  EXPECT_EQ(out.value().payload_type, 0);
  EXPECT_EQ(out.value().sequence, 77);
  // G.711 to G.711 goes through linear PCM: the PCMU payload decodes to the tone.
  auto decoder = make_decoder(CodecId::Pcmu);
  ASSERT_TRUE(decoder);
  Pcm decoded(160);
  ASSERT_TRUE(decoder.value()->decode(out.value().payload, decoded));
  EXPECT_GT(tone_amplitude(decoded, 8000, 440), 6000);
}

// An RFC 4733 event: payload [event, E|R|volume, duration (2 bytes)].
std::vector<std::uint8_t> event_payload(std::uint8_t event, bool end, std::uint16_t duration) {
  return {event, static_cast<std::uint8_t>((end ? 0x80 : 0) | 10),
          static_cast<std::uint8_t>(duration >> 8), static_cast<std::uint8_t>(duration)};
}

TEST(TranscodingPath, TelephoneEventsGoOnTheOutputTimeline) {
  // telephone-event/8000 on the PCMA leg, telephone-event/48000 beside opus.
  auto path =
      make_path({CodecId::Pcma, 8, kEventIn, 8000}, {CodecId::Opus, kOpusType, kEventOut, 48000});
  ASSERT_TRUE(path);
  const std::uint32_t base = 0xFFFFFE00u;  // the input timestamps wrap during the test
  const Stream audio =
      run(*path, CodecId::Pcma, 8, 8000, sine(8000, 440, 3 * 160), 160, 200, base, 160);
  ASSERT_EQ(audio.packets.size(), 3u);
  const std::uint32_t audio_out = audio.packets.back().timestamp;  // input base + 320
  const std::uint32_t ssrc = audio.packets.back().ssrc;

  // The event starts at input base + 480, i.e. 160 input ticks after the last audio packet.
  struct Step {
    std::uint16_t duration;
    bool end;
    bool marker;
  };
  std::uint16_t sequence = 203;
  for (const Step step :
       {Step{160, false, true}, Step{800, false, false}, Step{1280, true, false}}) {
    const auto payload = event_payload(5, step.end, step.duration);
    Datagram d = rtp(kEventIn, sequence, base + 480, payload, step.marker);
    const std::size_t written = path->transcode(d.bytes, d.size);
    ASSERT_EQ(written, d.size);
    auto out = parse_output(d, written);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->payload_type, kEventOut);
    EXPECT_EQ(out->marker, step.marker);
    EXPECT_EQ(out->sequence, sequence);
    EXPECT_EQ(out->ssrc, ssrc);
    EXPECT_EQ(out->timestamp, audio_out + 160 * 6);
    ASSERT_EQ(out->payload.size(), 4u);
    EXPECT_EQ(out->payload[0], 5);
    EXPECT_EQ(out->payload[1], payload[1]);
    const unsigned duration = unsigned{out->payload[2]} << 8 | out->payload[3];
    EXPECT_EQ(duration, step.duration * 6u);  // 8000 -> 48000 Hz
    ++sequence;
  }
  EXPECT_EQ(path->refused(), 0u);
}

TEST(TranscodingPath, EventDurationsScaleDownToo) {
  auto path =
      make_path({CodecId::Opus, kOpusType, kEventIn, 48000}, {CodecId::Pcmu, 0, kEventOut, 8000});
  ASSERT_TRUE(path);
  const auto payload = event_payload(11, true, 4800);  // 100 ms at 48 kHz
  Datagram d = rtp(kEventIn, 9, 96000, payload);
  const std::size_t written = path->transcode(d.bytes, d.size);
  ASSERT_EQ(written, d.size);
  auto out = parse_output(d, written);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->payload_type, kEventOut);
  EXPECT_EQ(out->payload[0], 11);
  EXPECT_EQ(unsigned{out->payload[2]} << 8 | out->payload[3], 800u);
}

TEST(TranscodingPath, EventDurationsFollowTheEventClocksNotTheCodecClocks) {
  // An opus leg that negotiated telephone-event/8000 (common): 100 ms stays 800 ticks.
  auto path =
      make_path({CodecId::Pcma, 8, kEventIn, 8000}, {CodecId::Opus, kOpusType, kEventOut, 8000});
  ASSERT_TRUE(path);
  Datagram d = rtp(kEventIn, 9, 8000, event_payload(3, true, 800));
  const std::size_t written = path->transcode(d.bytes, d.size);
  ASSERT_EQ(written, d.size);
  auto out = parse_output(d, written);
  ASSERT_TRUE(out);
  EXPECT_EQ(unsigned{out->payload[2]} << 8 | out->payload[3], 800u);
}

TEST(TranscodingPath, EventsAreDroppedWhenTheOtherLegHasNone) {
  auto path = make_path({CodecId::Pcma, 8, kEventIn}, {CodecId::Opus, kOpusType, std::nullopt});
  ASSERT_TRUE(path);
  const auto payload = event_payload(1, false, 160);
  Datagram d = rtp(kEventIn, 1, 0, payload, true);
  EXPECT_EQ(path->transcode(d.bytes, d.size), 0u);
  EXPECT_EQ(path->refused(), 0u);
  // Nor are they taken for audio when this leg negotiated none.
  auto no_events =
      make_path({CodecId::Pcma, 8, std::nullopt}, {CodecId::Opus, kOpusType, kEventOut});
  ASSERT_TRUE(no_events);
  d = rtp(kEventIn, 1, 0, payload, true);
  EXPECT_EQ(no_events->transcode(d.bytes, d.size), 0u);
}

TEST(TranscodingPath, TruncatedEventIsNotPassed) {
  auto path = make_path({CodecId::Pcma, 8, kEventIn}, {CodecId::Opus, kOpusType, kEventOut});
  ASSERT_TRUE(path);
  const std::vector<std::uint8_t> three_bytes = {1, 10, 0};
  Datagram d = rtp(kEventIn, 1, 0, three_bytes);
  d.bytes.resize(d.size);  // ASan catches a read of the missing duration byte
  EXPECT_EQ(path->transcode(d.bytes, d.size), 0u);
}

}  // namespace
}  // namespace kolokol::media
