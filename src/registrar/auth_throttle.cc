#include "registrar/auth_throttle.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

namespace kolokol::registrar {

AuthThrottle::AuthThrottle(Config config, const base::TimerService& clock, base::Logger log)
    : config_(config), clock_(clock), log_(std::move(log)) {
  config_.max_failures = std::max<std::size_t>(config_.max_failures, 1);
  config_.max_tracked = std::max<std::size_t>(config_.max_tracked, 1);
}

std::string AuthThrottle::source_key(std::string_view address) {
  if (address.find(':') == std::string_view::npos) return std::string(address);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  std::string text(address.substr(0, address.find('%')));  // no zone index
  in6_addr ip{};
  if (inet_pton(AF_INET6, text.c_str(), &ip) != 1) return std::string(address);
  std::array<char, INET6_ADDRSTRLEN> out{};
  if (IN6_IS_ADDR_V4MAPPED(&ip)) {
    inet_ntop(AF_INET, &ip.s6_addr[12], out.data(), out.size());
    return out.data();
  }
  std::fill(std::begin(ip.s6_addr) + 8, std::end(ip.s6_addr), 0);
  inet_ntop(AF_INET6, &ip, out.data(), out.size());
  return std::string(out.data()) + "/64";
}

bool AuthThrottle::blocked(std::string_view address) const {
  auto found = entries_.find(source_key(address));
  if (found == entries_.end()) return false;
  return clock_.now() < found->second.banned_until;
}

void AuthThrottle::failure(std::string_view address) {
  const base::TimePoint now = clock_.now();
  const std::string key = source_key(address);
  auto found = entries_.find(key);
  if (found == entries_.end()) {
    if (entries_.size() >= config_.max_tracked) {
      entries_.erase(by_age_.front());
      by_age_.pop_front();
    }
    found = entries_.emplace(key, Entry{}).first;
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
    log_.warn("{}: {} failed authentications within {} s, refused for {} s", key,
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
