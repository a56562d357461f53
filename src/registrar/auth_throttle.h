#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.h"
#include "base/log.h"
#include "base/timer_service.h"

namespace kolokol::registrar {

// Brute-force protection for digest authentication, independent of the method (REGISTER and
// INVITE alike). Failures (wrong password, unknown user) are counted per source address in a
// sliding window; an address reaching max_failures within the window is banned for ban_time
// (an IPv6 source counts as its /64: one host is given a whole /64 and could otherwise rotate
// through it):
// the caller answers its requests needing authentication with 403 "Too Many Failed Attempts"
// without computing a digest (an answer rather than silence, so a phone with a stale password
// shows an error instead of retrying into the ban; the transaction layer absorbs
// retransmissions either way). Other addresses are never affected, and a successful
// authentication does not lift a ban (a guessed password must not end it). One log line per ban.
//
// Memory is bounded: at most max_tracked addresses are remembered; the one whose last failure
// is oldest is forgotten first (under a flood of more distinct addresses than that, the oldest
// ban may be forgotten early). Single-threaded, time from the TimerService's clock.
class AuthThrottle {
 public:
  struct Config {
    std::size_t max_failures = 10;
    std::chrono::seconds window{60};
    std::chrono::seconds ban_time{300};
    std::size_t max_tracked = 65536;
  };

  AuthThrottle(Config config, const base::TimerService& clock, base::Logger log);

  // Whether requests from the address that need authentication are to be refused now.
  bool blocked(std::string_view address) const;
  // One failed authentication from the address.
  void failure(std::string_view address);

  std::size_t banned_count() const;
  std::size_t tracked() const { return entries_.size(); }

  // What failures are counted under: the address itself, or "prefix::/64" for IPv6 (an
  // IPv4-mapped IPv6 address counts as its IPv4 address).
  static std::string source_key(std::string_view address);
  const Config& config() const { return config_; }

 private:
  struct Entry {
    std::deque<base::TimePoint> failures;  // within the window, at most max_failures
    base::TimePoint banned_until{};
    std::list<std::string>::iterator age;  // position in by_age_
  };

  Config config_;
  const base::TimerService& clock_;
  base::Logger log_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> by_age_;  // front: least recent failure
};

}  // namespace kolokol::registrar
