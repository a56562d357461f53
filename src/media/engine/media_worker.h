#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "media/engine/unique_fd.h"

namespace kolokol::media {

using MediaClock = std::chrono::steady_clock;

// Something with sockets on a worker: told when one of them is readable.
class PollHandler {
 public:
  virtual void on_readable(std::uint32_t tag) = 0;

 protected:
  ~PollHandler() = default;
};

// Something that needs the worker's 20 ms clock (timeouts now; players and mixers later).
class TickHandler {
 public:
  virtual void on_tick(MediaClock::time_point now) = 0;

 protected:
  ~TickHandler() = default;
};

// One media thread: an epoll loop over the sockets of the relays it owns, a 20 ms timerfd
// clock, and a queue of commands from other threads (the only lock, held to swap the queue).
// Everything of a relay runs here, so relays need no locks of their own. Commands run before the
// socket events of the same wake-up (a change is in force for the packets that arrived with
// it); a relay destroyed by a command unwatches its sockets, so events already fetched for them
// are skipped.
class MediaWorker {
 public:
  static constexpr std::chrono::milliseconds kTick{20};

  explicit MediaWorker(std::string name);
  ~MediaWorker();  // stops and joins
  MediaWorker(const MediaWorker&) = delete;
  MediaWorker& operator=(const MediaWorker&) = delete;

  bool start();  // false when epoll/eventfd/timerfd could not be created
  void stop();
  // Thread-safe; runs `task` on the worker thread (never inline).
  void post(std::function<void()> task);

  // Worker thread only.
  bool watch(int fd, PollHandler* handler, std::uint32_t tag);
  void unwatch(int fd);
  void add_ticker(TickHandler* ticker);
  void remove_ticker(TickHandler* ticker);
  MediaClock::time_point now() const { return now_; }

  const std::string& name() const { return name_; }
  std::size_t load() const { return load_.load(std::memory_order_relaxed); }
  void add_load(int delta) { load_.fetch_add(delta, std::memory_order_relaxed); }

 private:
  struct Watch {
    PollHandler* handler = nullptr;
    std::uint32_t tag = 0;
  };
  void run();
  void run_commands();
  void tick();

  std::string name_;
  UniqueFd epoll_;
  UniqueFd wake_;   // eventfd
  UniqueFd clock_;  // timerfd
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> load_{0};  // relays placed here, for balancing

  std::mutex mutex_;
  std::vector<std::function<void()>> commands_;
  std::vector<std::function<void()>> running_commands_;  // worker thread only

  // fd -> watch; indexed by fd number, which the kernel keeps small and dense.
  std::vector<Watch> watches_;
  std::vector<TickHandler*> tickers_;
  MediaClock::time_point now_ = MediaClock::now();
};

}  // namespace kolokol::media
