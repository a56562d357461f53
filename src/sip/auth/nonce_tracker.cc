#include "sip/auth/nonce_tracker.h"

#include <algorithm>

namespace kolokol::sip {

NonceTracker::NonceTracker(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

NonceTracker::Result NonceTracker::use(std::string_view nonce, std::uint64_t serial,
                                       std::uint32_t nc) {
  if (auto found = index_.find(nonce); found != index_.end()) {
    const List::iterator entry = found->second;
    if (nc <= entry->highest_nc) return Result::Replay;
    entry->highest_nc = nc;
    order_.splice(order_.begin(), order_, entry);
    return Result::Accepted;
  }
  if (forgotten_up_to_ && serial <= *forgotten_up_to_) return Result::Forgotten;
  if (order_.size() >= capacity_) evict_oldest_use();
  order_.push_front(Entry{std::string(nonce), serial, nc});
  index_.emplace(order_.front().nonce, order_.begin());
  return Result::Accepted;
}

void NonceTracker::evict_oldest_use() {
  const Entry& victim = order_.back();
  forgotten_up_to_ = std::max(forgotten_up_to_.value_or(0), victim.serial);
  index_.erase(victim.nonce);
  order_.pop_back();
}

}  // namespace kolokol::sip
