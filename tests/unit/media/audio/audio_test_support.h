#pragma once

#include <sndfile.h>
#include <stdlib.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <numbers>
#include <span>
#include <string>
#include <vector>

// Helpers shared by the audio tests: a scratch directory, files holding a known tone, and a
// Goertzel filter to tell which tone came back.
namespace kolokol::media::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kolokol-audio-XXXXXX");
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct ToneSpec {
  int format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  int sample_rate = 8000;
  int channels = 1;
  double seconds = 1.0;
  double frequency = 1000.0;
  double amplitude = 0.5;  // of full scale
  // Per channel gain, so a stereo file can carry the tone in one channel only.
  std::vector<double> channel_gain;
};

// Writes the tone with libsndfile; returns false when this libsndfile cannot write the format.
inline bool write_tone_file(const std::filesystem::path& path, const ToneSpec& spec) {
  SF_INFO info{};
  info.samplerate = spec.sample_rate;
  info.channels = spec.channels;
  info.format = spec.format;
  if (!sf_format_check(&info)) return false;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) return false;
  const auto frames = static_cast<sf_count_t>(std::lround(spec.seconds * spec.sample_rate));
  std::vector<float> data(static_cast<std::size_t>(frames * spec.channels));
  for (sf_count_t i = 0; i < frames; ++i) {
    const double value = spec.amplitude * std::sin(2 * std::numbers::pi * spec.frequency *
                                                   static_cast<double>(i) / spec.sample_rate);
    for (int c = 0; c < spec.channels; ++c) {
      const double gain =
          c < static_cast<int>(spec.channel_gain.size()) ? spec.channel_gain[c] : 1.0;
      data[static_cast<std::size_t>(i * spec.channels + c)] = static_cast<float>(value * gain);
    }
  }
  const bool ok = sf_writef_float(file, data.data(), frames) == frames;
  return sf_close(file) == 0 && ok;
}

// Power of `frequency` in the samples (Goertzel), normalized so a full-scale sine gives ~0.25.
inline double tone_power(std::span<const std::int16_t> samples, int sample_rate, double frequency) {
  const double coefficient = 2 * std::cos(2 * std::numbers::pi * frequency / sample_rate);
  double s1 = 0, s2 = 0;
  for (std::int16_t sample : samples) {
    const double s0 = sample / 32768.0 + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  const double n = static_cast<double>(samples.size());
  return n == 0 ? 0 : power / (n * n);
}

// Which of 100 Hz steps up to just under Nyquist holds the most power.
inline double dominant_frequency(std::span<const std::int16_t> samples, int sample_rate) {
  double best = 0, best_power = -1;
  for (double f = 100; f < sample_rate / 2.0; f += 100) {
    const double power = tone_power(samples, sample_rate, f);
    if (power > best_power) best = f, best_power = power;
  }
  return best;
}

inline double rms(std::span<const std::int16_t> samples) {
  if (samples.empty()) return 0;
  double sum = 0;
  for (std::int16_t s : samples) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

}  // namespace kolokol::media::testing
