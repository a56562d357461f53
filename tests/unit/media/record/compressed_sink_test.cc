#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "media/record/mp3_sink.h"
#include "media/record/ogg_opus_sink.h"
#include "unit/media/record/audio_probe.h"

namespace kolokol::media {
namespace {

// Caller silent, callee playing 1 kHz: the decoded file must have the tone on the right only.
std::vector<std::int16_t> right_tone(std::uint32_t rate, std::size_t frames) {
  return test::interleave(std::vector<std::int16_t>(frames, 0),
                          test::tone(1000, rate, frames, 10000));
}

void write_in_blocks(RecordingSink& sink, std::span<const std::int16_t> samples,
                     std::size_t block_frames) {
  const std::size_t step = block_frames * sink.format().channels;
  for (std::size_t i = 0; i < samples.size(); i += step) {
    auto written = sink.write(samples.subspan(i, std::min(step, samples.size() - i)));
    ASSERT_TRUE(written) << written.error().describe();
  }
}

// The decoded file carries the 1 kHz tone on the right channel in its middle second, and next
// to nothing on the left.
void expect_tone_on_the_right(const test::DecodedAudio& decoded, double seconds) {
  ASSERT_TRUE(decoded.ok) << decoded.error;
  ASSERT_EQ(decoded.channels, 2);
  const auto rate = static_cast<std::uint32_t>(decoded.sample_rate);
  ASSERT_GT(rate, 0u);
  EXPECT_NEAR(static_cast<double>(decoded.frames()) / rate, seconds, 0.15);
  ASSERT_GE(decoded.frames(), rate * 3 / 2);
  const auto right = test::channel(decoded.samples, 2, 1, rate / 2, rate);
  const auto left = test::channel(decoded.samples, 2, 0, rate / 2, rate);
  const double tone = test::tone_amplitude(right, 1000, rate);
  EXPECT_GT(tone, 7000);
  EXPECT_LT(tone, 13000);
  EXPECT_LT(test::tone_amplitude(right, 700, rate), tone / 20);
  EXPECT_LT(test::tone_amplitude(right, 1300, rate), tone / 20);
  EXPECT_LT(test::rms(left), tone / 20);
}

TEST(OggOpusSink, StereoFileDecodesWithTheToneOnTheRightChannel) {
  test::ScratchDir dir;
  const std::string path = dir.file("call.opus");
  SinkOptions options;
  options.bitrate = 48000;
  auto sink = OggOpusSink::create(path, {8000, 2}, options);
  ASSERT_TRUE(sink) << sink.error().describe();
  write_in_blocks(**sink, right_tone(8000, 2 * 8000), 160);
  auto summary = (*sink)->close();
  ASSERT_TRUE(summary) << summary.error().describe();
  EXPECT_EQ(summary->frames, 2u * 8000);
  EXPECT_EQ(summary->bytes, std::filesystem::file_size(path));
  // 2 s at 48 kbit/s is about 12 kB; a file of only headers would be under 1 kB.
  EXPECT_GT(summary->bytes, 6000u);
  EXPECT_LT(summary->bytes, 24000u);
  expect_tone_on_the_right(test::read_audio(path), 2.0);
}

TEST(OggOpusSink, AFileCutShortStillPlaysUpToItsLastPage) {
  test::ScratchDir dir;
  const std::string path = dir.file("cut.opus");
  SinkOptions options;
  options.bitrate = 48000;
  options.flush_interval_ms = 200;
  auto sink = OggOpusSink::create(path, {16000, 2}, options);
  ASSERT_TRUE(sink);
  write_in_blocks(**sink, right_tone(16000, 4 * 16000), 320);
  ASSERT_TRUE((*sink)->close());
  // Keep about 60%: the tail page is torn, everything before it must still decode.
  std::filesystem::resize_file(path, std::filesystem::file_size(path) * 6 / 10);
  const auto decoded = test::read_audio(path);
  ASSERT_TRUE(decoded.ok) << decoded.error;
  const auto rate = static_cast<std::uint32_t>(decoded.sample_rate);
  ASSERT_GE(decoded.frames(), 2u * rate);
  const auto right = test::channel(decoded.samples, 2, 1, rate, rate);
  EXPECT_GT(test::tone_amplitude(right, 1000, rate), 7000);
}

TEST(OggOpusSink, RefusesBadSettingsAndExistingFiles) {
  test::ScratchDir dir;
  SinkOptions options;
  options.bitrate = 1000;
  auto low = OggOpusSink::create(dir.file("low.opus"), {8000, 2}, options);
  ASSERT_FALSE(low);
  EXPECT_EQ(low.error().error, RecordingError::BadFormat);
  auto quad = OggOpusSink::create(dir.file("quad.opus"), {8000, 4});
  ASSERT_FALSE(quad);
  EXPECT_EQ(quad.error().error, RecordingError::BadFormat);
  { std::ofstream(dir.file("taken.opus")) << "keep"; }
  auto taken = OggOpusSink::create(dir.file("taken.opus"), {8000, 2});
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().error, RecordingError::AlreadyExists);
  EXPECT_EQ(std::filesystem::file_size(dir.file("taken.opus")), 4u);
  auto missing = OggOpusSink::create(dir.file("none/x.opus"), {8000, 2});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().error, RecordingError::DirectoryMissing);
}

TEST(OggOpusSink, MonoRecording) {
  test::ScratchDir dir;
  const std::string path = dir.file("mono.opus");
  auto sink = OggOpusSink::create(path, {8000, 1});
  ASSERT_TRUE(sink);
  write_in_blocks(**sink, test::tone(1000, 8000, 8000, 10000), 160);
  ASSERT_TRUE((*sink)->close());
  const auto decoded = test::read_audio(path);
  ASSERT_TRUE(decoded.ok) << decoded.error;
  ASSERT_EQ(decoded.channels, 1);
  const auto rate = static_cast<std::uint32_t>(decoded.sample_rate);
  const auto middle = test::channel(decoded.samples, 1, 0, rate / 4, rate / 2);
  EXPECT_GT(test::tone_amplitude(middle, 1000, rate), 7000);
}

TEST(Mp3Sink, StereoFileDecodesWithTheToneOnTheRightChannel) {
  test::ScratchDir dir;
  const std::string path = dir.file("call.mp3");
  SinkOptions options;
  options.bitrate = 64000;
  auto sink = Mp3Sink::create(path, {16000, 2}, options);
  ASSERT_TRUE(sink) << sink.error().describe();
  write_in_blocks(**sink, right_tone(16000, 2 * 16000), 320);
  auto summary = (*sink)->close();
  ASSERT_TRUE(summary) << summary.error().describe();
  EXPECT_EQ(summary->frames, 2u * 16000);
  EXPECT_EQ(summary->bytes, std::filesystem::file_size(path));
  // CBR: 2 s at 64 kbit/s is 16 kB, give or take a frame of padding.
  EXPECT_GT(summary->bytes, 14000u);
  EXPECT_LT(summary->bytes, 19000u);
  const auto decoded = test::read_audio(path);
  ASSERT_TRUE(decoded.ok) << decoded.error;
  EXPECT_EQ(decoded.sample_rate, 16000);
  expect_tone_on_the_right(decoded, 2.0);
}

TEST(Mp3Sink, MonoAtEightKilohertz) {
  test::ScratchDir dir;
  const std::string path = dir.file("mono.mp3");
  SinkOptions options;
  options.bitrate = 24000;
  auto sink = Mp3Sink::create(path, {8000, 1}, options);
  ASSERT_TRUE(sink) << sink.error().describe();
  write_in_blocks(**sink, test::tone(1000, 8000, 2 * 8000, 10000), 160);
  ASSERT_TRUE((*sink)->close());
  const auto decoded = test::read_audio(path);
  ASSERT_TRUE(decoded.ok) << decoded.error;
  ASSERT_EQ(decoded.channels, 1);
  EXPECT_EQ(decoded.sample_rate, 8000);
  const auto middle = test::channel(decoded.samples, 1, 0, 4000, 8000);
  EXPECT_GT(test::tone_amplitude(middle, 1000, 8000), 7000);
}

TEST(Mp3Sink, RefusesRatesMp3CannotCarryAndExistingFiles) {
  test::ScratchDir dir;
  auto odd_rate = Mp3Sink::create(dir.file("odd.mp3"), {9600, 2});
  ASSERT_FALSE(odd_rate);
  EXPECT_EQ(odd_rate.error().error, RecordingError::BadFormat);
  EXPECT_FALSE(std::filesystem::exists(dir.file("odd.mp3")));
  { std::ofstream(dir.file("taken.mp3")) << "keep"; }
  auto taken = Mp3Sink::create(dir.file("taken.mp3"), {8000, 2});
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().error, RecordingError::AlreadyExists);
  EXPECT_EQ(std::filesystem::file_size(dir.file("taken.mp3")), 4u);
}

}  // namespace
}  // namespace kolokol::media
