#include "media/audio/audio_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "unit/media/audio/audio_test_support.h"

namespace kolokol::media {
namespace {

using testing::dominant_frequency;
using testing::rms;
using testing::TempDir;
using testing::ToneSpec;
using testing::write_tone_file;

struct FileCase {
  const char* name;
  ToneSpec spec;
};

// The formats prompts arrive in: telephony WAVs, CD audio, studio exports, compressed files.
const FileCase kFileCases[] = {
    {"ulaw8k.wav", {SF_FORMAT_WAV | SF_FORMAT_ULAW, 8000, 1, 1.0, 1000}},
    {"alaw8k.wav", {SF_FORMAT_WAV | SF_FORMAT_ALAW, 8000, 1, 1.0, 1100}},
    {"stereo44k.wav", {SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 1.0, 1500}},
    {"float48k.wav", {SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 1, 1.0, 3000}},
    {"u8_11k.wav", {SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 11025, 1, 0.5, 900}},
    {"pcm24_32k.wav", {SF_FORMAT_WAV | SF_FORMAT_PCM_24, 32000, 1, 0.7, 2500}},
    {"pcm32_16k.wav", {SF_FORMAT_WAV | SF_FORMAT_PCM_32, 16000, 1, 0.6, 600}},
    {"tone.flac", {SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 1, 1.0, 800}},
    {"tone.ogg", {SF_FORMAT_OGG | SF_FORMAT_VORBIS, 48000, 2, 1.0, 1200}},
};

class LoadPrompt : public ::testing::TestWithParam<FileCase> {};

TEST_P(LoadPrompt, KeepsDurationToneAndLevelAtEachTargetRate) {
  const FileCase& file = GetParam();
  TempDir dir;
  const auto path = dir / file.name;
  if (!write_tone_file(path, file.spec)) GTEST_SKIP() << "this libsndfile cannot write it";

  for (int rate : {8000, 16000}) {
    SCOPED_TRACE(rate);
    auto clip = load_prompt(path, rate);
    ASSERT_TRUE(clip) << clip.error().describe();
    const PromptClip& pcm = **clip;
    EXPECT_EQ(pcm.sample_rate(), rate);
    EXPECT_EQ(pcm.source(), path.string());
    // Within one 20 ms frame of the source's length (lossy codecs may pad a little).
    const double expected = file.spec.seconds * rate;
    EXPECT_NEAR(static_cast<double>(pcm.samples().size()), expected, rate / 50.0);
    EXPECT_EQ(dominant_frequency(pcm.samples(), rate), file.spec.frequency);
    const double expected_rms = file.spec.amplitude * 32768 / std::sqrt(2.0);
    EXPECT_NEAR(rms(pcm.samples()), expected_rms, expected_rms * 0.1);
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, LoadPrompt, ::testing::ValuesIn(kFileCases),
                         [](const auto& info) {
                           std::string name = info.param.name;
                           for (char& c : name) {
                             if (c == '.') c = '_';
                           }
                           return name;
                         });

TEST(LoadPromptMixdown, AveragesTheChannels) {
  TempDir dir;
  ToneSpec one_sided{SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 2, 1.0, 1000, 0.5, {1.0, 0.0}};
  ASSERT_TRUE(write_tone_file(dir / "left.wav", one_sided));
  auto left = load_prompt(dir / "left.wav", 8000);
  ASSERT_TRUE(left) << left.error().describe();
  // Half the level: the silent right channel counts as much as the left.
  EXPECT_NEAR(rms((*left)->samples()), 0.25 * 32768 / std::sqrt(2.0), 100);

  ToneSpec opposed{SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 2, 1.0, 1000, 0.5, {1.0, -1.0}};
  ASSERT_TRUE(write_tone_file(dir / "opposed.wav", opposed));
  auto cancelled = load_prompt(dir / "opposed.wav", 8000);
  ASSERT_TRUE(cancelled) << cancelled.error().describe();
  EXPECT_LT(rms((*cancelled)->samples()), 2.0);
}

TEST(LoadPromptExactness, SixteenBitAtTheSameRateComesBackBitExact) {
  TempDir dir;
  const std::vector<std::int16_t> samples = {0, 1, -1, 32767, -32768, 12345, -12345, 7};
  SF_INFO info{};
  info.samplerate = 8000;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open((dir / "exact.wav").c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(sf_writef_short(file, samples.data(), static_cast<sf_count_t>(samples.size())),
            static_cast<sf_count_t>(samples.size()));
  sf_close(file);

  auto clip = load_prompt(dir / "exact.wav", 8000);
  ASSERT_TRUE(clip) << clip.error().describe();
  EXPECT_EQ(std::vector<std::int16_t>((*clip)->samples().begin(), (*clip)->samples().end()),
            samples);
}

TEST(LoadPromptConverter, UsesTheInjectedConverterOnlyWhenRatesDiffer) {
  TempDir dir;
  ASSERT_TRUE(write_tone_file(dir / "a.wav", {SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000}));
  std::vector<std::pair<int, int>> requested;
  PromptLoadOptions options;
  options.rate_converter = [&](int in, int out) {
    requested.emplace_back(in, out);
    return make_linear_rate_converter(in, out);
  };
  ASSERT_TRUE(load_prompt(dir / "a.wav", 8000, options));
  ASSERT_TRUE(load_prompt(dir / "a.wav", 16000, options));
  EXPECT_EQ(requested, (std::vector<std::pair<int, int>>{{16000, 8000}}));

  options.rate_converter = [](int, int) { return std::unique_ptr<PcmRateConverter>(); };
  auto refused = load_prompt(dir / "a.wav", 8000, options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, AudioErrorKind::BadSampleRate);
}

AudioErrorKind error_of(const std::filesystem::path& path, int rate = 8000,
                        PromptLoadOptions options = {}) {
  auto clip = load_prompt(path, rate, options);
  EXPECT_FALSE(clip);
  return clip ? AudioErrorKind::BadSampleRate : clip.error().kind;
}

TEST(LoadPromptErrors, MissingDirectoryGarbageAndEmpty) {
  TempDir dir;
  EXPECT_EQ(error_of(dir / "missing.wav"), AudioErrorKind::NotFound);
  EXPECT_EQ(error_of(dir.path()), AudioErrorKind::NotFound);

  std::ofstream(dir / "empty.wav").close();
  EXPECT_EQ(error_of(dir / "empty.wav"), AudioErrorKind::Empty);

  {
    std::ofstream garbage(dir / "garbage.wav", std::ios::binary);
    std::uint32_t state = 12345;
    for (int i = 0; i < 4096; ++i) {
      state = state * 1103515245 + 12345;
      garbage.put(static_cast<char>(state >> 24));
    }
  }
  auto garbage = load_prompt(dir / "garbage.wav", 8000);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().kind, AudioErrorKind::Unreadable);
  EXPECT_NE(garbage.error().describe().find("garbage.wav"), std::string::npos);

  // A valid header announcing no frames.
  ASSERT_TRUE(write_tone_file(dir / "silent.wav", {SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 0}));
  EXPECT_EQ(error_of(dir / "silent.wav"), AudioErrorKind::Empty);
}

TEST(LoadPromptErrors, TooLongAndBadRate) {
  TempDir dir;
  ASSERT_TRUE(write_tone_file(dir / "long.wav", {SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 3}));
  PromptLoadOptions capped;
  capped.max_duration = std::chrono::seconds(2);
  EXPECT_EQ(error_of(dir / "long.wav", 8000, capped), AudioErrorKind::TooLong);
  capped.max_duration = std::chrono::seconds(3);
  EXPECT_TRUE(load_prompt(dir / "long.wav", 8000, capped));

  EXPECT_EQ(error_of(dir / "long.wav", 7999), AudioErrorKind::BadSampleRate);
  EXPECT_EQ(error_of(dir / "long.wav", 96000), AudioErrorKind::BadSampleRate);
  EXPECT_EQ(error_of(dir / "long.wav", 0), AudioErrorKind::BadSampleRate);
}

TEST(LoadPromptErrors, TruncatedFileIsRefusedOrShortenedNeverOverRead) {
  TempDir dir;
  ASSERT_TRUE(write_tone_file(dir / "full.wav", {SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 1}));
  // Cut it anywhere from inside the header to mid-data.
  for (std::uintmax_t size : {10u, 30u, 44u, 45u, 1001u, 8000u}) {
    SCOPED_TRACE(size);
    const auto cut = dir / ("cut" + std::to_string(size) + ".wav");
    std::filesystem::copy_file(dir / "full.wav", cut);
    std::filesystem::resize_file(cut, size);
    auto clip = load_prompt(cut, 8000);
    if (clip) {
      EXPECT_LE(44 + 2 * (*clip)->samples().size(), size);
    } else {
      EXPECT_NE(clip.error().kind, AudioErrorKind::NotFound);
    }
  }
}

}  // namespace
}  // namespace kolokol::media
