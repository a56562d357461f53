#pragma once

#include <atomic>
#include <chrono>
#include <string>

namespace kolokol::http {

// What GET /health reports: "starting" (503) until the daemon has every listener up, then "ok"
// (200), then "draining" (503) once a graceful stop began, so supervisors and load balancers
// send traffic only to a daemon that takes it. The HTTP thread only reads it.
class HealthState {
 public:
  explicit HealthState(std::string version)
      : version_(std::move(version)),
        started_(std::chrono::steady_clock::now()),
        started_wall_(std::chrono::system_clock::now()) {}

  enum class Phase { Starting, Ready, Draining };

  void set_ready() { phase_.store(Phase::Ready, std::memory_order_relaxed); }
  void set_draining() { phase_.store(Phase::Draining, std::memory_order_relaxed); }
  Phase phase() const { return phase_.load(std::memory_order_relaxed); }

  const std::string& version() const { return version_; }
  std::chrono::seconds uptime() const {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                            started_);
  }
  std::chrono::system_clock::time_point started_at() const { return started_wall_; }

 private:
  const std::string version_;
  const std::chrono::steady_clock::time_point started_;
  const std::chrono::system_clock::time_point started_wall_;
  std::atomic<Phase> phase_{Phase::Starting};
};

}  // namespace kolokol::http
