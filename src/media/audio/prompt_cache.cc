#include "media/audio/prompt_cache.h"

#include <utility>

namespace kolokol::media {
namespace {

std::string cache_key(const std::filesystem::path& path, int sample_rate) {
  return std::to_string(sample_rate) + ':' + path.lexically_normal().string();
}

}  // namespace

PromptCache::PromptCache(PromptCacheOptions options) : options_(std::move(options)) {}

base::Expected<PromptClipPtr, AudioError> PromptCache::get(const std::filesystem::path& path,
                                                           int sample_rate) {
  const std::string key = cache_key(path, sample_rate);
  {
    std::lock_guard lock(mutex_);
    if (auto found = index_.find(key); found != index_.end()) {
      lru_.splice(lru_.begin(), lru_, found->second);
      ++stats_.hits;
      return found->second->clip;
    }
  }
  auto loaded = load_prompt(path, sample_rate, options_.load);
  if (!loaded) return loaded;

  std::lock_guard lock(mutex_);
  ++stats_.loads;
  if (auto found = index_.find(key); found != index_.end()) {
    // Another thread loaded it meanwhile; hand out one copy so the memory is shared.
    lru_.splice(lru_.begin(), lru_, found->second);
    return found->second->clip;
  }
  const PromptClipPtr clip = *loaded;
  // A clip bigger than the whole cap would flush everything else and still not fit: play it
  // uncached.
  if (clip->memory_bytes() > options_.max_bytes) return clip;
  lru_.push_front(Entry{key, clip});
  index_.emplace(key, lru_.begin());
  stats_.bytes += clip->memory_bytes();
  evict_over_cap();
  return clip;
}

void PromptCache::evict_over_cap() {
  while (stats_.bytes > options_.max_bytes && !lru_.empty()) {
    const Entry& victim = lru_.back();
    stats_.bytes -= victim.clip->memory_bytes();
    index_.erase(victim.key);
    lru_.pop_back();
    ++stats_.evictions;
  }
}

void PromptCache::clear() {
  std::lock_guard lock(mutex_);
  index_.clear();
  lru_.clear();
  stats_.bytes = 0;
}

PromptCache::Stats PromptCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats out = stats_;
  out.clips = lru_.size();
  return out;
}

}  // namespace kolokol::media
