#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace kolokol::media {

// Decoded prompt audio: mono, 16-bit, at one sample rate. Immutable once built and handed out as
// shared_ptr<const>, so one loaded file serves every call playing it, from any media thread,
// without copies or locks.
class PromptClip {
 public:
  PromptClip(std::vector<std::int16_t> samples, int sample_rate, std::string source);

  std::span<const std::int16_t> samples() const { return samples_; }
  int sample_rate() const { return sample_rate_; }
  // Where the audio came from (a path, or a description for synthesized speech).
  const std::string& source() const { return source_; }

  std::chrono::microseconds duration() const;
  std::size_t memory_bytes() const { return samples_.size() * sizeof(std::int16_t); }

 private:
  std::vector<std::int16_t> samples_;
  int sample_rate_;
  std::string source_;
};

using PromptClipPtr = std::shared_ptr<const PromptClip>;

}  // namespace kolokol::media
