#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/expected.h"
#include "media/audio/audio_error.h"
#include "media/audio/audio_file.h"
#include "media/audio/prompt_clip.h"

namespace kolokol::media {

struct PromptCacheOptions {
  std::size_t max_bytes = std::size_t{64} << 20;  // decoded PCM kept, over all clips
  PromptLoadOptions load;
};

// Decoded prompts by (path, sample rate), loaded on first use and kept until the memory cap
// pushes out the least recently used. Eviction only drops the cache's reference: calls still
// playing an evicted clip keep it alive through their own PromptClipPtr.
//
// Runs on the blocking pool, several threads at once, so a mutex guards the index. It is never
// held while a file is decoded: two threads missing on the same prompt may both decode it, and the
// first to finish wins. Media threads never call in here; they only hold the clips handed out.
// Failures are not remembered, so a prompt uploaded after a miss is found on the next request.
class PromptCache {
 public:
  explicit PromptCache(PromptCacheOptions options = {});

  base::Expected<PromptClipPtr, AudioError> get(const std::filesystem::path& path, int sample_rate);
  // Forgets every clip, e.g. after prompt files were replaced on disk.
  void clear();

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t loads = 0;  // successful decodes
    std::uint64_t evictions = 0;
    std::size_t clips = 0;
    std::size_t bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    PromptClipPtr clip;
  };
  using Lru = std::list<Entry>;  // most recently used first

  void evict_over_cap();  // with mutex_ held

  const PromptCacheOptions options_;
  mutable std::mutex mutex_;
  Lru lru_;
  std::unordered_map<std::string, Lru::iterator> index_;
  Stats stats_;
};

}  // namespace kolokol::media
