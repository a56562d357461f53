#include "media/engine/call_recorder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "media/codec/codec_factory.h"
#include "media/dsp/telephone_event.h"
#include "unit/media/record/audio_probe.h"

namespace kolokol::media {
namespace {

constexpr std::uint8_t kPcmuType = 0;
constexpr std::uint8_t kPcmaType = 8;
constexpr std::uint8_t kEventType = 101;
constexpr std::uint8_t kOpusType = 111;
constexpr double kToneAmplitude = 8000;

PayloadMap leg_map() {
  const std::vector<PayloadFormat> formats = {
      {.payload_type = kPcmuType},
      {.payload_type = kPcmaType},
      {.payload_type = kOpusType, .encoding_name = "opus", .clock_rate = 48000, .channels = 2},
      {.payload_type = kEventType, .encoding_name = "telephone-event", .clock_rate = 8000},
  };
  return PayloadMap::from_formats(formats);
}

struct Sent {
  RelaySide leg = RelaySide::A;
  std::int64_t arrival_ms = 0;
  std::uint8_t payload_type = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  bool marker = false;
  std::vector<std::uint8_t> payload;

  RtpPacket packet() const {
    RtpPacket out;
    out.payload_type = payload_type;
    out.sequence = sequence;
    out.timestamp = timestamp;
    out.ssrc = ssrc;
    out.marker = marker;
    out.payload = payload;
    return out;
  }
};

struct Talk {
  RelaySide leg = RelaySide::A;
  CodecId codec = CodecId::Pcma;
  std::uint8_t payload_type = kPcmaType;
  double frequency = 440;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 1000;
};

// A talkspurt: 20 ms packets of a tone sent from `from_ms` to `to_ms`, each arriving 0-40 ms
// after it was complete, with a few packets lost and two pairs swapped on the way.
std::vector<Sent> talkspurt(const Talk& talk, std::mt19937& random) {
  const std::uint32_t rate = codec_info(talk.codec).sample_rate;
  CodecOptions options;
  options.opus.sample_rate = rate;
  auto encoder = make_encoder(talk.codec, options);
  EXPECT_TRUE(encoder);
  const std::size_t frame = rate / 50;
  const std::uint32_t clock_step = codec_info(talk.codec).clock_rate / 50;
  std::vector<std::uint8_t> payload((*encoder)->max_payload_size(frame));
  std::uniform_int_distribution<int> jitter(0, 40);
  const std::set<int> lost = {7, 23, 24, 41};
  const std::set<int> delayed = {12, 33};  // overtaken by the next packet

  std::vector<Sent> out;
  const int packets = static_cast<int>((talk.to_ms - talk.from_ms) / 20);
  for (int i = 0; i < packets; ++i) {
    const auto pcm = test::tone(talk.frequency, rate, frame, kToneAmplitude, i * frame);
    auto size = (*encoder)->encode(pcm, payload);
    EXPECT_TRUE(size);
    if (lost.contains(i)) continue;
    std::int64_t arrival = talk.from_ms + (i + 1) * 20 + jitter(random);
    if (delayed.contains(i)) arrival += 45;
    out.push_back({.leg = talk.leg,
                   .arrival_ms = arrival,
                   .payload_type = talk.payload_type,
                   .sequence = static_cast<std::uint16_t>(40000 + i),  // wraps on the way
                   .timestamp = 0xfffff000u + static_cast<std::uint32_t>(i) * clock_step,
                   .ssrc = talk.leg == RelaySide::A ? 0xaaaau : 0xbbbbu,
                   .marker = i == 0,
                   .payload = {payload.begin(), payload.begin() + *size}});
  }
  return out;
}

// RFC 4733 packets for a key held on `leg` from `start_ms` for 300 ms, continuing `sequence`.
void key_press(std::vector<Sent>& out, RelaySide leg, std::int64_t start_ms,
               std::uint16_t sequence) {
  for (int i = 0; i <= 6; ++i) {
    TelephoneEvent event{
        .event = 5, .end = i == 6, .duration = static_cast<std::uint16_t>(i * 400)};
    auto bytes = serialize_telephone_event(event);
    EXPECT_TRUE(bytes);
    out.push_back({.leg = leg,
                   .arrival_ms = start_ms + i * 50,
                   .payload_type = kEventType,
                   .sequence = static_cast<std::uint16_t>(sequence + i),
                   .timestamp = 12345,
                   .ssrc = 0xbbbbu,
                   .marker = i == 0,
                   .payload = {bytes->begin(), bytes->end()}});
  }
}

struct Recorded {
  test::DecodedAudio audio;
  std::optional<RecordingResult> result;
  CallRecorderStats stats;
};

// Plays the packets through a CallRecorder on a simulated worker clock (a tick every 20 ms,
// packets delivered at their arrival times in between) for `call_ms`, into a real WAV file.
Recorded record_call(std::vector<Sent> packets, std::uint32_t rate, bool mono,
                     std::int64_t call_ms) {
  test::ScratchDir dir;
  RecordingWriter writer;
  writer.start();
  Recorded recorded;
  CallRecorderConfig config;
  config.path = dir.file("call.wav");
  config.sample_rate = rate;
  config.mono = mono;
  // The simulated call runs far faster than real time: room for all of it, so that a slow
  // writer thread cannot make the test drop blocks.
  config.queue_blocks = 256;
  config.on_complete = [&recorded](const RecordingResult& result) { recorded.result = result; };

  const std::int64_t start_ms = 1'000'000;  // the worker clock has nothing to do with 0
  auto recorder = CallRecorder::start(writer, std::move(config), start_ms);
  EXPECT_TRUE(recorder);
  if (!recorder) return recorded;

  std::ranges::stable_sort(packets, {}, &Sent::arrival_ms);
  const PayloadMap map = leg_map();
  std::size_t next = 0;
  for (std::int64_t now = 0; now <= call_ms; now += 20) {
    while (next < packets.size() && packets[next].arrival_ms <= now) {
      (*recorder)->on_packet(packets[next].leg, packets[next].packet(), map,
                             start_ms + packets[next].arrival_ms);
      ++next;
    }
    if (now < call_ms) (*recorder)->on_tick(start_ms + now);
  }
  (*recorder)->stop(start_ms + call_ms);
  recorded.stats = (*recorder)->stats();
  writer.stop();  // drains the queue, finishes the file and reports it

  recorded.audio = test::read_audio(dir.file("call.wav"));
  return recorded;
}

struct Window {
  double left_440 = 0;
  double left_1k = 0;
  double right_440 = 0;
  double right_1k = 0;
  double left_rms = 0;
  double right_rms = 0;
};

// 100 ms windows of the recording, measured per channel (mono: left only).
std::vector<Window> windows(const test::DecodedAudio& audio) {
  const auto rate = static_cast<std::uint32_t>(audio.sample_rate);
  const std::size_t length = rate / 10;
  std::vector<Window> out;
  for (std::size_t first = 0; first + length <= audio.frames(); first += length) {
    Window window;
    const auto left = test::channel(audio.samples, audio.channels, 0, first, length);
    window.left_440 = test::tone_amplitude(left, 440, rate);
    window.left_1k = test::tone_amplitude(left, 1000, rate);
    window.left_rms = test::rms(left);
    if (audio.channels == 2) {
      const auto right = test::channel(audio.samples, audio.channels, 1, first, length);
      window.right_440 = test::tone_amplitude(right, 440, rate);
      window.right_1k = test::tone_amplitude(right, 1000, rate);
      window.right_rms = test::rms(right);
    }
    out.push_back(window);
  }
  return out;
}

// The call of every test: A says 440 Hz during 0-1 s, B 1 kHz during 1-2 s, then B presses a
// key (RFC 4733 only) at 2.3 s, and nobody says anything until 3 s.
std::vector<Sent> three_second_call(CodecId b_codec, std::uint8_t b_type) {
  std::mt19937 random(4733);
  auto packets = talkspurt({RelaySide::A, CodecId::Pcma, kPcmaType, 440, 0, 1000}, random);
  const auto b = talkspurt({RelaySide::B, b_codec, b_type, 1000, 1000, 2000}, random);
  packets.insert(packets.end(), b.begin(), b.end());
  key_press(packets, RelaySide::B, 2300, static_cast<std::uint16_t>(40050));
  return packets;
}

// Windows well inside a talkspurt must carry its tone, on its side only; windows well outside
// (the jitter buffer delays the audio by 60-200 ms) must be silent. The edges are not judged.
void expect_call_layout(const Recorded& recorded, std::uint32_t rate) {
  ASSERT_TRUE(recorded.audio.ok) << recorded.audio.error;
  ASSERT_TRUE(recorded.result);
  EXPECT_FALSE(recorded.result->error);
  EXPECT_EQ(recorded.audio.sample_rate, static_cast<int>(rate));
  ASSERT_EQ(recorded.audio.channels, 2);
  EXPECT_NEAR(static_cast<double>(recorded.audio.frames()), 3.0 * rate, 0.1 * rate);
  EXPECT_EQ(recorded.stats.blocks_dropped, 0u);

  const auto measured = windows(recorded.audio);
  ASSERT_GE(measured.size(), 29u);
  const double present = 0.6 * kToneAmplitude;
  const double absent = 0.02 * kToneAmplitude;
  for (std::size_t i = 0; i < measured.size(); ++i) {
    const Window& w = measured[i];
    const auto at = "window at " + std::to_string(i * 100) + " ms";
    // Never the other side's tone, never on the wrong channel.
    EXPECT_LT(w.left_1k, absent) << at;
    EXPECT_LT(w.right_440, absent) << at;
    if (i >= 2 && i <= 9) {
      EXPECT_GT(w.left_440, present) << at;
      EXPECT_LT(w.right_rms, absent) << at;
    }
    if (i >= 12 && i <= 19) {
      EXPECT_GT(w.right_1k, present) << at;
      EXPECT_LT(w.left_rms, absent) << at;
    }
    if (i >= 22) {
      EXPECT_LT(w.left_rms, absent) << at;
      EXPECT_LT(w.right_rms, absent) << at;  // the key press is not audio
    }
  }
}

TEST(CallRecorder, AJitteryLossyCallIsRecordedAlignedByWallTime) {
  const auto recorded = record_call(three_second_call(CodecId::Pcmu, kPcmuType), 8000, false, 3000);
  expect_call_layout(recorded, 8000);
  EXPECT_GT(recorded.stats.legs[0].concealed, 0u);  // A's lost packets
  EXPECT_EQ(recorded.stats.legs[1].ignored, 7u);    // B's telephone-events
  EXPECT_EQ(recorded.stats.legs[0].undecodable, 0u);
}

TEST(CallRecorder, OpusOnOneLegInAWidebandRecording) {
  const auto recorded =
      record_call(three_second_call(CodecId::Opus, kOpusType), 16000, false, 3000);
  expect_call_layout(recorded, 16000);
}

TEST(CallRecorder, MonoMixHoldsBothSidesInTurn) {
  const auto recorded = record_call(three_second_call(CodecId::Pcmu, kPcmuType), 8000, true, 3000);
  ASSERT_TRUE(recorded.audio.ok) << recorded.audio.error;
  ASSERT_EQ(recorded.audio.channels, 1);
  const auto measured = windows(recorded.audio);
  ASSERT_GE(measured.size(), 29u);
  // The mix may scale each side down; it must still be clearly there.
  EXPECT_GT(measured[5].left_440, 0.3 * kToneAmplitude);
  EXPECT_LT(measured[5].left_1k, 0.02 * kToneAmplitude);
  EXPECT_GT(measured[15].left_1k, 0.3 * kToneAmplitude);
  EXPECT_LT(measured[15].left_440, 0.02 * kToneAmplitude);
  EXPECT_LT(measured[25].left_rms, 0.02 * kToneAmplitude);
}

TEST(CallRecorder, GarbagePayloadsAreConcealedNotRecordedAsNoise) {
  std::mt19937 random(1);
  auto packets = talkspurt({RelaySide::A, CodecId::Pcma, kPcmaType, 440, 0, 1000}, random);
  auto opus = talkspurt({RelaySide::B, CodecId::Opus, kOpusType, 1000, 0, 1000}, random);
  for (Sent& sent : opus) sent.payload.assign({0xff, 0x00});  // not a valid opus packet
  packets.insert(packets.end(), opus.begin(), opus.end());
  const auto recorded = record_call(packets, 8000, false, 1500);
  ASSERT_TRUE(recorded.audio.ok) << recorded.audio.error;
  EXPECT_NEAR(static_cast<double>(recorded.audio.frames()), 1.5 * 8000, 800);
  EXPECT_GT(recorded.stats.legs[1].undecodable, 40u);
  const auto measured = windows(recorded.audio);
  ASSERT_GE(measured.size(), 10u);
  for (std::size_t i = 2; i <= 9; ++i) {
    EXPECT_GT(measured[i].left_440, 0.6 * kToneAmplitude) << i;
    EXPECT_LT(measured[i].right_rms, 0.02 * kToneAmplitude) << i;
  }
}

TEST(CallRecorder, RefusesARateItCannotProduce) {
  RecordingWriter writer;
  CallRecorderConfig config;
  config.sample_rate = 11025;
  auto recorder = CallRecorder::start(writer, std::move(config), 0);
  ASSERT_FALSE(recorder);
  EXPECT_EQ(recorder.error(), CallRecorderError::BadRate);
}

}  // namespace
}  // namespace kolokol::media
