#include "sip/txn/completed_responses.h"

#include <algorithm>
#include <chrono>

namespace kolokol::sip {

CompletedResponses::CompletedResponses(base::TimerService& timers, base::Duration linger,
                                       std::size_t capacity, ExpiryHandler on_expiry)
    : timers_(timers),
      linger_(linger),
      capacity_(std::max<std::size_t>(capacity, 1)),
      on_expiry_(std::move(on_expiry)),
      sweep_timer_(timers) {}

void CompletedResponses::add(std::string key, Entry entry) {
  while (entries_.size() >= capacity_ && !expiries_.empty()) expire_front();
  const TransactionId id = entry.id;
  auto [it, inserted] = entries_.insert_or_assign(std::move(key), std::move(entry));
  expiries_.push_back(Expiry{timers_.now() + linger_, &it->first, id});
  if (!sweep_timer_.running()) arm();
}

CompletedResponses::Entry* CompletedResponses::find(const std::string& key) {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

void CompletedResponses::clear() {
  sweep_timer_.stop();
  expiries_.clear();
  entries_.clear();
}

void CompletedResponses::arm() {
  if (expiries_.empty()) return;
  const auto delay = std::chrono::ceil<base::Duration>(expiries_.front().at - timers_.now());
  sweep_timer_.start(std::max(delay, base::Duration::zero()), [this] { sweep(); });
}

void CompletedResponses::sweep() {
  const base::TimePoint now = timers_.now();
  while (!expiries_.empty() && expiries_.front().at <= now) expire_front();
  arm();
}

void CompletedResponses::expire_front() {
  const Expiry expiry = expiries_.front();
  expiries_.pop_front();
  auto it = entries_.find(*expiry.key);
  // A replaced entry left its older deadline behind: only the newest id expires it.
  if (it == entries_.end() || it->second.id != expiry.id) return;
  const Entry entry = std::move(it->second);
  entries_.erase(it);
  if (on_expiry_) on_expiry_(entry);
}

}  // namespace kolokol::sip
