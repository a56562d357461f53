#include "registrar/auth_throttle.h"

#include <algorithm>

namespace kolokol::registrar {

AuthThrottle::AuthThrottle(Config config, const base::TimerService& clock, base::Logger log)
    : config_(config), clock_(clock), log_(std::move(log)) {
  config_.max_failures = std::max<std::size_t>(config_.max_failures, 1);
  config_.max_tracked = std::max<std::size_t>(config_.max_tracked, 1);
}

bool AuthThrottle::blocked(std::string_view address) const {
  auto found = entries_.find(std::string(address));
  if (found == entries_.end()) return false;
  return clock_.now() < found->second.banned_until;
}

void AuthThrottle::failure(std::string_view address) {
  const base::TimePoint now = clock_.now();
  auto found = entries_.find(std::string(address));
  if (found == entries_.end()) {
    if (entries_.size() >= config_.max_tracked) {
      entries_.erase(by_age_.front());
      by_age_.pop_front();
    }
    found = entries_.emplace(std::string(address), Entry{}).first;
    found->second.age = by_age_.insert(by_age_.end(), found->first);
  } else {
    by_age_.splice(by_age_.end(), by_age_, found->second.age);  // now the most recent
  }
  Entry& entry = found->second;
  if (now < entry.banned_until) return;  // already banned: the ban runs its course
  entry.failures.push_back(now);
  while (!entry.failures.empty() && (entry.failures.front() + config_.window <= now ||
                                     entry.failures.size() > config_.max_failures)) {
    entry.failures.pop_front();
  }
  if (entry.failures.size() >= config_.max_failures) {
    entry.banned_until = now + config_.ban_time;
    entry.failures.clear();
    log_.warn("{}: {} failed authentications within {} s, refused for {} s", address,
              config_.max_failures, config_.window.count(), config_.ban_time.count());
  }
}

std::size_t AuthThrottle::banned_count() const {
  const base::TimePoint now = clock_.now();
  return static_cast<std::size_t>(
      std::count_if(entries_.begin(), entries_.end(),
                    [&](const auto& e) { return now < e.second.banned_until; }));
}

}  // namespace kolokol::registrar
