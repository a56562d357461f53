#pragma once

#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <numbers>
#include <span>
#include <string>
#include <vector>

// Test-only helpers: tone generation, per-channel Goertzel measurement, libsndfile read-back and
// a scratch directory per test.
namespace kolokol::media::test {

// A sine at `frequency`, phase-continuous by absolute sample index `start`.
inline std::vector<std::int16_t> tone(double frequency, std::uint32_t rate, std::size_t frames,
                                      double amplitude = 8000, std::uint64_t start = 0) {
  std::vector<std::int16_t> out(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    const double phase = 2 * std::numbers::pi * frequency * static_cast<double>(start + i) / rate;
    out[i] = static_cast<std::int16_t>(std::lround(amplitude * std::sin(phase)));
  }
  return out;
}

inline std::vector<std::int16_t> interleave(std::span<const std::int16_t> left,
                                            std::span<const std::int16_t> right) {
  std::vector<std::int16_t> out(left.size() * 2);
  for (std::size_t i = 0; i < left.size(); ++i) {
    out[2 * i] = left[i];
    out[2 * i + 1] = right[i];
  }
  return out;
}

// One channel of an interleaved buffer, frames [first, first + count).
inline std::vector<double> channel(std::span<const std::int16_t> interleaved, int channels,
                                   int which, std::size_t first, std::size_t count) {
  std::vector<double> out;
  out.reserve(count);
  // Clamped to what is there, so a short decode fails the measurement instead of over-reading.
  const std::size_t available = interleaved.size() / channels;
  for (std::size_t i = first; i < std::min(first + count, available); ++i) {
    out.push_back(interleaved[i * channels + which]);
  }
  return out;
}

// Amplitude of the `frequency` component (Goertzel), comparable to tone()'s `amplitude`.
inline double tone_amplitude(std::span<const double> samples, double frequency,
                             std::uint32_t rate) {
  const double coefficient = 2 * std::cos(2 * std::numbers::pi * frequency / rate);
  double s1 = 0;
  double s2 = 0;
  for (double x : samples) {
    const double s0 = x + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return 2 * std::sqrt(std::max(power, 0.0)) / static_cast<double>(samples.size());
}

inline double rms(std::span<const double> samples) {
  double sum = 0;
  for (double x : samples) sum += x * x;
  return samples.empty() ? 0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

struct DecodedAudio {
  bool ok = false;
  std::string error;
  int channels = 0;
  int sample_rate = 0;
  std::vector<std::int16_t> samples;  // interleaved
  std::size_t frames() const { return channels > 0 ? samples.size() / channels : 0; }
};

// Reads a whole file through libsndfile (WAV, Ogg/Opus, MP3).
inline DecodedAudio read_audio(const std::string& path) {
  DecodedAudio audio;
  SF_INFO info{};
  std::unique_ptr<SNDFILE, int (*)(SNDFILE*)> file(sf_open(path.c_str(), SFM_READ, &info),
                                                   &sf_close);
  if (!file) {
    audio.error = sf_strerror(nullptr);
    return audio;
  }
  audio.channels = info.channels;
  audio.sample_rate = info.samplerate;
  std::vector<std::int16_t> chunk(4096 * static_cast<std::size_t>(info.channels));
  for (;;) {
    const sf_count_t frames = sf_readf_short(file.get(), chunk.data(), 4096);
    if (frames <= 0) break;
    audio.samples.insert(audio.samples.end(), chunk.begin(),
                         chunk.begin() + frames * info.channels);
  }
  audio.ok = true;
  return audio;
}

// A fresh directory removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "kolokol-record-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : std::string{};
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string file(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace kolokol::media::test
