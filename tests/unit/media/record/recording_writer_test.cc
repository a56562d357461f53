#include "media/record/recording_writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "media/record/stereo_aligner.h"
#include "unit/media/record/audio_probe.h"

namespace kolokol::media {
namespace {

constexpr std::uint32_t kRate = 8000;
constexpr std::size_t kBlock = 160;

// Gathers completions (delivered on the writer thread) for the test thread to wait on.
class Completions {
 public:
  RecordingCompletion callback() {
    return [this](const RecordingResult& result) {
      std::lock_guard lock(mutex_);
      results_.push_back(result);
      threads_.push_back(std::this_thread::get_id());
      changed_.notify_all();
    };
  }
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(15),
                             [&] { return results_.size() >= count; });
  }
  std::vector<RecordingResult> results() {
    std::lock_guard lock(mutex_);
    return results_;
  }
  std::vector<std::thread::id> threads() {
    std::lock_guard lock(mutex_);
    return threads_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<RecordingResult> results_;
  std::vector<std::thread::id> threads_;
};

// Recording `id`, block `index`: a pattern unique to both, so any mix-up between recordings or
// any lost, repeated or reordered block shows in the file.
std::vector<std::int16_t> block_for(std::size_t id, std::size_t index) {
  std::vector<std::int16_t> samples(kBlock * 2);
  for (std::size_t i = 0; i < kBlock; ++i) {
    samples[2 * i] = static_cast<std::int16_t>(id * 100 + index % 100);
    samples[2 * i + 1] = static_cast<std::int16_t>(-static_cast<int>(i) - 1);
  }
  return samples;
}

RecordingRequest wav_request(const std::string& path, Completions& completions) {
  RecordingRequest request;
  request.path = path;
  request.file_format = RecordingFileFormat::Wav;
  request.format = {kRate, 2};
  request.max_block_frames = kBlock;
  request.on_complete = completions.callback();
  return request;
}

TEST(RecordingWriter, FiftyRecordingsFromTwoProducersAreCompleteAndCorrect) {
  test::ScratchDir dir;
  Completions completions;
  RecordingWriter writer;
  writer.start();
  constexpr std::size_t kRecordings = 50;
  constexpr std::size_t kBlocks = 100;  // 2 s each
  std::vector<RecordingHandle> handles;
  for (std::size_t id = 0; id < kRecordings; ++id) {
    RecordingRequest request = wav_request(dir.file(std::to_string(id) + ".wav"), completions);
    request.queue_blocks = kBlocks;  // room for everything: this test is about correctness
    handles.push_back(writer.open(std::move(request)));
  }
  // Each producer owns every other recording and appends to its recordings in turn, like a
  // media worker serving many calls.
  std::vector<std::thread> producers;
  for (std::size_t producer = 0; producer < 2; ++producer) {
    producers.emplace_back([&, producer] {
      for (std::size_t index = 0; index < kBlocks; ++index) {
        for (std::size_t id = producer; id < kRecordings; id += 2) {
          EXPECT_EQ(handles[id].append(block_for(id, index)), AppendResult::Queued);
        }
      }
      for (std::size_t id = producer; id < kRecordings; id += 2) handles[id].close();
    });
  }
  for (auto& producer : producers) producer.join();
  ASSERT_TRUE(completions.wait_for(kRecordings));

  const auto results = completions.results();
  ASSERT_EQ(results.size(), kRecordings);
  for (const auto& result : results) {
    SCOPED_TRACE(result.path);
    EXPECT_FALSE(result.error) << result.error->describe();
    EXPECT_EQ(result.frames, kBlocks * kBlock);
    EXPECT_EQ(result.duration, std::chrono::milliseconds(2000));
    EXPECT_EQ(result.dropped_blocks, 0u);
    EXPECT_EQ(result.bytes, std::filesystem::file_size(result.path));
  }
  for (const auto id : std::vector<std::thread::id>(completions.threads())) {
    EXPECT_NE(id, std::this_thread::get_id());
  }
  for (std::size_t id = 0; id < kRecordings; ++id) {
    SCOPED_TRACE(id);
    const auto decoded = test::read_audio(dir.file(std::to_string(id) + ".wav"));
    ASSERT_TRUE(decoded.ok) << decoded.error;
    ASSERT_EQ(decoded.frames(), kBlocks * kBlock);
    for (std::size_t index = 0; index < kBlocks; ++index) {
      const auto expected = block_for(id, index);
      ASSERT_TRUE(std::equal(expected.begin(), expected.end(),
                             decoded.samples.begin() + index * expected.size()))
          << "block " << index;
    }
  }
}

TEST(RecordingWriter, AFullQueueDropsAndCountsInsteadOfWaiting) {
  test::ScratchDir dir;
  Completions completions;
  RecordingWriter writer;  // not started yet: nothing drains the queue
  RecordingRequest request = wav_request(dir.file("full.wav"), completions);
  request.queue_blocks = 8;
  RecordingHandle handle = writer.open(std::move(request));
  std::size_t queued = 0;
  std::size_t full = 0;
  for (std::size_t index = 0; index < 20; ++index) {
    const AppendResult result = handle.append(block_for(1, index));
    queued += result == AppendResult::Queued;
    full += result == AppendResult::QueueFull;
  }
  EXPECT_EQ(queued, 8u);
  EXPECT_EQ(full, 12u);
  EXPECT_EQ(handle.dropped_blocks(), 12u);

  writer.start();
  handle.close();
  ASSERT_TRUE(completions.wait_for(1));
  const auto result = completions.results().front();
  EXPECT_FALSE(result.error);
  EXPECT_EQ(result.dropped_blocks, 12u);
  EXPECT_EQ(result.frames, 8 * kBlock);
  const auto decoded = test::read_audio(dir.file("full.wav"));
  ASSERT_EQ(decoded.frames(), 8 * kBlock);
  for (std::size_t index = 0; index < 8; ++index) {
    const auto expected = block_for(1, index);
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(),
                           decoded.samples.begin() + index * expected.size()));
  }
  EXPECT_EQ(handle.append(block_for(1, 0)), AppendResult::Closed);
}

TEST(RecordingWriter, AMissingDirectoryIsReportedThroughTheCompletion) {
  test::ScratchDir dir;
  Completions completions;
  RecordingWriter writer;
  writer.start();
  RecordingHandle handle = writer.open(wav_request(dir.file("gone/x.wav"), completions));
  ASSERT_TRUE(completions.wait_for(1));
  const auto result = completions.results().front();
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->error, RecordingError::DirectoryMissing);
  EXPECT_EQ(result.path, dir.file("gone/x.wav"));
  EXPECT_EQ(result.frames, 0u);
  EXPECT_EQ(handle.append(block_for(0, 0)), AppendResult::Closed);
  handle.close();
  writer.stop();
  EXPECT_EQ(completions.results().size(), 1u);  // one report per recording
}

TEST(RecordingWriter, AnExistingFileIsNeitherOverwrittenNorAppendedTo) {
  test::ScratchDir dir;
  { std::ofstream(dir.file("taken.wav")) << "earlier recording"; }
  Completions completions;
  RecordingWriter writer;
  writer.start();
  RecordingHandle handle = writer.open(wav_request(dir.file("taken.wav"), completions));
  ASSERT_TRUE(completions.wait_for(1));
  ASSERT_TRUE(completions.results().front().error);
  EXPECT_EQ(completions.results().front().error->error, RecordingError::AlreadyExists);
  std::ifstream in(dir.file("taken.wav"));
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "earlier recording");
}

TEST(RecordingWriter, OversizedBlocksAndPartialFramesAreRefused) {
  test::ScratchDir dir;
  Completions completions;
  RecordingWriter writer;
  RecordingHandle handle = writer.open(wav_request(dir.file("sizes.wav"), completions));
  EXPECT_EQ(handle.append(std::vector<std::int16_t>((kBlock + 1) * 2, 1)), AppendResult::TooLarge);
  EXPECT_EQ(handle.append(std::vector<std::int16_t>(3, 1)), AppendResult::TooLarge);
  EXPECT_EQ(handle.dropped_blocks(), 0u);
  RecordingHandle empty;
  EXPECT_FALSE(empty.valid());
  EXPECT_EQ(empty.append(block_for(0, 0)), AppendResult::Closed);
}

TEST(RecordingWriter, StopFinishesRecordingsStillOpenAndTheyAreCompressedToo) {
  test::ScratchDir dir;
  Completions completions;
  auto writer = std::make_unique<RecordingWriter>();
  writer->start();
  RecordingRequest opus = wav_request(dir.file("open.opus"), completions);
  opus.file_format = RecordingFileFormat::OggOpus;
  RecordingRequest mp3 = wav_request(dir.file("open.mp3"), completions);
  mp3.file_format = RecordingFileFormat::Mp3;
  mp3.sink.bitrate = 32000;
  RecordingHandle opus_handle = writer->open(std::move(opus));
  RecordingHandle mp3_handle = writer->open(std::move(mp3));
  const auto tone =
      test::interleave(test::tone(500, kRate, kRate, 10000), test::tone(1000, kRate, kRate, 10000));
  for (std::size_t i = 0; i < tone.size(); i += kBlock * 2) {
    const auto block = std::span(tone).subspan(i, kBlock * 2);
    ASSERT_EQ(opus_handle.append(block), AppendResult::Queued);
    ASSERT_EQ(mp3_handle.append(block), AppendResult::Queued);
  }
  writer.reset();  // destructor: stop, drain, finish, join; the handles were never closed
  auto results = completions.results();
  ASSERT_EQ(results.size(), 2u);
  for (const auto& result : results) {
    SCOPED_TRACE(result.path);
    EXPECT_FALSE(result.error);
    EXPECT_EQ(result.frames, kRate);
    const auto decoded = test::read_audio(result.path);
    ASSERT_TRUE(decoded.ok) << decoded.error;
    ASSERT_EQ(decoded.channels, 2);
    const auto rate = static_cast<std::uint32_t>(decoded.sample_rate);
    const auto left = test::channel(decoded.samples, 2, 0, rate / 4, rate / 2);
    const auto right = test::channel(decoded.samples, 2, 1, rate / 4, rate / 2);
    EXPECT_GT(test::tone_amplitude(left, 500, rate), 6000);
    EXPECT_LT(test::tone_amplitude(left, 1000, rate), 1000);
    EXPECT_GT(test::tone_amplitude(right, 1000, rate), 6000);
    EXPECT_LT(test::tone_amplitude(right, 500, rate), 1000);
  }
  EXPECT_EQ(opus_handle.append(std::span(tone).first(kBlock * 2)), AppendResult::Closed);
}

TEST(RecordingWriter, AlignerOutputFlowsThroughTheWriterIntoAStereoWav) {
  test::ScratchDir dir;
  Completions completions;
  RecordingWriter writer;
  writer.start();
  RecordingHandle handle = writer.open(wav_request(dir.file("call.wav"), completions));
  std::size_t refused = 0;
  StereoAligner aligner(StereoAlignerConfig{}, [&](const AlignedBlock& block) {
    refused += handle.append(block.samples) != AppendResult::Queued;
  });
  // The caller talks in second 0-1, the callee answers in second 1-2.
  const auto hello = test::tone(440, kRate, kRate);
  const auto answer = test::tone(1000, kRate, kRate);
  for (std::size_t t = 0; t < kRate; t += kBlock) {
    aligner.push(RecordingSide::Left, t, std::span(hello).subspan(t, kBlock));
    aligner.tick(t);
  }
  for (std::size_t t = 0; t < kRate; t += kBlock) {
    aligner.push(RecordingSide::Right, kRate + t, std::span(answer).subspan(t, kBlock));
    aligner.tick(kRate + t);
  }
  aligner.finish(2 * kRate);
  handle.close();
  ASSERT_TRUE(completions.wait_for(1));
  EXPECT_EQ(refused, 0u);
  const auto result = completions.results().front();
  ASSERT_FALSE(result.error);
  EXPECT_EQ(result.frames, 2u * kRate);

  const auto decoded = test::read_audio(dir.file("call.wav"));
  ASSERT_EQ(decoded.frames(), 2u * kRate);
  const auto first_left = test::channel(decoded.samples, 2, 0, 0, kRate);
  const auto first_right = test::channel(decoded.samples, 2, 1, 0, kRate);
  const auto second_left = test::channel(decoded.samples, 2, 0, kRate, kRate);
  const auto second_right = test::channel(decoded.samples, 2, 1, kRate, kRate);
  EXPECT_NEAR(test::tone_amplitude(first_left, 440, kRate), 8000, 100);
  EXPECT_EQ(test::rms(first_right), 0);
  EXPECT_EQ(test::rms(second_left), 0);
  EXPECT_NEAR(test::tone_amplitude(second_right, 1000, kRate), 8000, 100);
}

}  // namespace
}  // namespace kolokol::media
