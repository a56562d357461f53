#include "media/record/wav_sink.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "media/record/wav_header.h"
#include "media/record/wav_recovery.h"
#include "unit/media/record/audio_probe.h"

namespace kolokol::media {
namespace {

constexpr std::uint32_t kRate = 8000;
constexpr std::size_t kBlock = 160;

// Left 440 Hz, right 1 kHz, interleaved.
std::vector<std::int16_t> stereo_tones(std::size_t frames) {
  return test::interleave(test::tone(440, kRate, frames), test::tone(1000, kRate, frames));
}

void write_in_blocks(RecordingSink& sink, std::span<const std::int16_t> samples) {
  const std::size_t step = kBlock * sink.format().channels;
  for (std::size_t i = 0; i < samples.size(); i += step) {
    auto written = sink.write(samples.subspan(i, std::min(step, samples.size() - i)));
    ASSERT_TRUE(written) << written.error().describe();
  }
}

std::vector<std::uint8_t> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::string& path, std::span<const std::uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

TEST(WavSink, StereoFileReadsBackThroughLibsndfileSampleForSample) {
  test::ScratchDir dir;
  const std::string path = dir.file("call.wav");
  const auto audio = stereo_tones(3 * kRate);
  auto sink = WavSink::create(path, {kRate, 2});
  ASSERT_TRUE(sink) << sink.error().describe();
  write_in_blocks(**sink, audio);
  auto summary = (*sink)->close();
  ASSERT_TRUE(summary) << summary.error().describe();
  EXPECT_EQ(summary->frames, 3u * kRate);
  EXPECT_EQ(summary->bytes, kWavHeaderSize + audio.size() * 2);
  EXPECT_EQ(std::filesystem::file_size(path), summary->bytes);

  const auto decoded = test::read_audio(path);
  ASSERT_TRUE(decoded.ok) << decoded.error;
  EXPECT_EQ(decoded.channels, 2);
  EXPECT_EQ(decoded.sample_rate, static_cast<int>(kRate));
  EXPECT_EQ(decoded.samples, audio);
  const auto right = test::channel(decoded.samples, 2, 1, 0, kRate);
  EXPECT_NEAR(test::tone_amplitude(right, 1000, kRate), 8000, 100);
  EXPECT_LT(test::tone_amplitude(right, 440, kRate), 100);
}

TEST(WavSink, MonoAtSixteenKilohertz) {
  test::ScratchDir dir;
  const std::string path = dir.file("mono.wav");
  const auto audio = test::tone(700, 16000, 16000);
  auto sink = WavSink::create(path, {16000, 1});
  ASSERT_TRUE(sink);
  ASSERT_TRUE((*sink)->write(audio));
  ASSERT_TRUE((*sink)->close());
  const auto decoded = test::read_audio(path);
  ASSERT_TRUE(decoded.ok) << decoded.error;
  EXPECT_EQ(decoded.channels, 1);
  EXPECT_EQ(decoded.sample_rate, 16000);
  EXPECT_EQ(decoded.samples, audio);
}

TEST(WavSink, AFileCopiedMidCallPlaysUpToTheLastFlush) {
  test::ScratchDir dir;
  const std::string path = dir.file("live.wav");
  const auto audio = stereo_tones(3 * kRate);
  SinkOptions options;
  options.flush_interval_ms = 500;
  auto sink = WavSink::create(path, {kRate, 2}, options);
  ASSERT_TRUE(sink);
  // Right after creation the file is already a valid, empty WAV.
  auto empty = test::read_audio(path);
  ASSERT_TRUE(empty.ok) << empty.error;
  EXPECT_EQ(empty.frames(), 0u);

  const std::size_t written_frames = 2 * kRate + 3 * kBlock;  // 2.06 s: 2.0 s flushed
  write_in_blocks(**sink, std::span(audio).first(written_frames * 2));
  const std::string copy = dir.file("copy.wav");
  std::filesystem::copy_file(path, copy);
  auto snapshot = test::read_audio(copy);
  ASSERT_TRUE(snapshot.ok) << snapshot.error;
  EXPECT_EQ(snapshot.frames(), 2u * kRate);
  EXPECT_TRUE(std::equal(snapshot.samples.begin(), snapshot.samples.end(), audio.begin()));

  write_in_blocks(**sink, std::span(audio).subspan(written_frames * 2));
  ASSERT_TRUE((*sink)->close());
  EXPECT_EQ(test::read_audio(path).samples, audio);
}

TEST(WavSink, AbandonedSinkIsRecoveredWithEveryFlushedFrame) {
  test::ScratchDir dir;
  const std::string path = dir.file("killed.wav");
  const auto audio = stereo_tones(3 * kRate);
  SinkOptions options;
  options.flush_interval_ms = 1000;
  auto sink = WavSink::create(path, {kRate, 2}, options);
  ASSERT_TRUE(sink);
  write_in_blocks(**sink, std::span(audio).first((2 * kRate + 800) * 2));
  (*sink)->abandon_for_test();  // killed: 0.1 s in memory is lost, 2 s are on disk

  auto recovered = recover_wav(path);
  ASSERT_TRUE(recovered) << recovered.error().describe();
  EXPECT_EQ(recovered->frames, 2u * kRate);
  EXPECT_EQ(recovered->format.channels, 2u);
  EXPECT_EQ(recovered->format.sample_rate, kRate);
  EXPECT_FALSE(recovered->header_rewritten);  // the last flush had already accounted for it
  const auto decoded = test::read_audio(path);
  ASSERT_TRUE(decoded.ok) << decoded.error;
  ASSERT_EQ(decoded.frames(), 2u * kRate);
  EXPECT_TRUE(std::equal(decoded.samples.begin(), decoded.samples.end(), audio.begin()));
}

TEST(WavSink, RecoveryFixesProvisionalSizesAndCutsAPartialFrame) {
  test::ScratchDir dir;
  const std::string path = dir.file("torn.wav");
  const auto audio = stereo_tones(kRate);
  {
    auto sink = WavSink::create(path, {kRate, 2});
    ASSERT_TRUE(sink);
    write_in_blocks(**sink, audio);
    ASSERT_TRUE((*sink)->close());
  }
  // As if killed after the audio reached the disk but before any header update, mid-sample.
  auto bytes = file_bytes(path);
  const auto provisional = wav_header({kRate, 2}, 0);
  std::copy(provisional.begin(), provisional.end(), bytes.begin());
  bytes.insert(bytes.end(), {0x12, 0x34, 0x56});
  write_bytes(path, bytes);
  EXPECT_EQ(test::read_audio(path).frames(), 0u);  // unreadable as it stands

  auto recovered = recover_wav(path);
  ASSERT_TRUE(recovered) << recovered.error().describe();
  EXPECT_TRUE(recovered->header_rewritten);
  EXPECT_EQ(recovered->declared_data_bytes, 0u);
  EXPECT_EQ(recovered->recovered_data_bytes, audio.size() * 2);
  EXPECT_EQ(recovered->trimmed_bytes, 3u);
  EXPECT_EQ(recovered->data_offset, kWavHeaderSize);
  EXPECT_EQ(test::read_audio(path).samples, audio);

  // Running it again finds nothing to do.
  auto again = recover_wav(path);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->header_rewritten);
  EXPECT_EQ(again->trimmed_bytes, 0u);
}

TEST(WavSink, RecoveryShrinksAHeaderThatClaimsMoreThanTheFileHolds) {
  test::ScratchDir dir;
  const std::string path = dir.file("short.wav");
  const auto audio = stereo_tones(kRate);
  {
    auto sink = WavSink::create(path, {kRate, 2});
    ASSERT_TRUE(sink);
    write_in_blocks(**sink, audio);
    ASSERT_TRUE((*sink)->close());
  }
  std::filesystem::resize_file(path, kWavHeaderSize + 4000 * 4);
  auto recovered = recover_wav(path);
  ASSERT_TRUE(recovered) << recovered.error().describe();
  EXPECT_EQ(recovered->frames, 4000u);
  const auto decoded = test::read_audio(path);
  ASSERT_EQ(decoded.frames(), 4000u);
  EXPECT_TRUE(std::equal(decoded.samples.begin(), decoded.samples.end(), audio.begin()));
}

TEST(WavSink, RecoveryRefusesWhatItDidNotWriteAndLeavesItAlone) {
  test::ScratchDir dir;
  const auto check = [&](const std::string& name, std::vector<std::uint8_t> bytes,
                         RecordingError expected) {
    SCOPED_TRACE(name);
    const std::string path = dir.file(name);
    write_bytes(path, bytes);
    auto recovered = recover_wav(path);
    ASSERT_FALSE(recovered);
    EXPECT_EQ(recovered.error().error, expected) << recovered.error().describe();
    EXPECT_EQ(file_bytes(path), bytes);
  };
  check("empty", {}, RecordingError::NotWav);
  check("text", std::vector<std::uint8_t>(100, 'x'), RecordingError::NotWav);
  auto header = wav_header({kRate, 2}, 0);
  check("cut", std::vector<std::uint8_t>(header.begin(), header.begin() + 30),
        RecordingError::NotWav);
  auto eight_bit = std::vector<std::uint8_t>(header.begin(), header.end());
  eight_bit[34] = 8;
  check("8bit", eight_bit, RecordingError::Unsupported);
  auto float_format = std::vector<std::uint8_t>(header.begin(), header.end());
  float_format[20] = 3;
  check("float", float_format, RecordingError::Unsupported);
  // A chunk before "fmt " whose size runs far past the end of the file.
  std::vector<std::uint8_t> lying = {'R', 'I', 'F', 'F', 0,   0,   0,    0,    'W',  'A',
                                     'V', 'E', 'L', 'I', 'S', 'T', 0xff, 0xff, 0xff, 0x7f};
  lying.resize(200, 0);
  check("lying", lying, RecordingError::NotWav);
  std::vector<std::uint8_t> data_first = {'R', 'I', 'F', 'F', 0,   0,   0, 0, 'W', 'A',
                                          'V', 'E', 'd', 'a', 't', 'a', 0, 0, 0,   0};
  check("data-first", data_first, RecordingError::NotWav);

  auto missing = recover_wav(dir.file("nothing.wav"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().error, RecordingError::NotFound);
}

TEST(WavSink, NeverOverwritesAnExistingRecording) {
  test::ScratchDir dir;
  const std::string path = dir.file("taken.wav");
  const std::vector<std::uint8_t> original = {'k', 'e', 'e', 'p'};
  write_bytes(path, original);
  auto sink = WavSink::create(path, {kRate, 2});
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().error, RecordingError::AlreadyExists);
  EXPECT_EQ(file_bytes(path), original);
}

TEST(WavSink, ReportsAMissingDirectoryAndBadFormats) {
  test::ScratchDir dir;
  auto missing = WavSink::create(dir.file("no/such/dir.wav"), {kRate, 2});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().error, RecordingError::DirectoryMissing);
  EXPECT_NE(missing.error().describe().find("directory missing"), std::string::npos);

  auto three = WavSink::create(dir.file("three.wav"), {kRate, 3});
  ASSERT_FALSE(three);
  EXPECT_EQ(three.error().error, RecordingError::BadFormat);
  EXPECT_FALSE(std::filesystem::exists(dir.file("three.wav")));

  auto sink = WavSink::create(dir.file("ok.wav"), {kRate, 2});
  ASSERT_TRUE(sink);
  const std::vector<std::int16_t> odd = {1, 2, 3};  // one and a half frames
  auto refused = (*sink)->write(odd);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().error, RecordingError::BadFormat);
  EXPECT_EQ((*sink)->frames_written(), 0u);
  ASSERT_TRUE((*sink)->close());
  auto closed = (*sink)->write(std::vector<std::int16_t>{1, 2});
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().error, RecordingError::Closed);
}

TEST(RecordingError, SystemErrorsAreClassified) {
  EXPECT_EQ(failure_from_write_errno(ENOSPC).error, RecordingError::DiskFull);
  EXPECT_EQ(failure_from_write_errno(EDQUOT).error, RecordingError::DiskFull);
  EXPECT_EQ(failure_from_write_errno(EIO).error, RecordingError::WriteFailed);
  EXPECT_EQ(failure_from_open_errno(EEXIST).error, RecordingError::AlreadyExists);
  EXPECT_EQ(failure_from_open_errno(ENOTDIR).error, RecordingError::DirectoryMissing);
  EXPECT_EQ(failure_from_open_errno(EACCES).error, RecordingError::PermissionDenied);
  EXPECT_EQ(failure_from_open_errno(EROFS).error, RecordingError::PermissionDenied);
  const RecordingFailure failure{RecordingError::DiskFull, ENOSPC, "wav"};
  EXPECT_EQ(failure.describe(), "disk full: No space left on device (wav)");
}

}  // namespace
}  // namespace kolokol::media
