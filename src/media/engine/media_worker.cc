#include "media/engine/media_worker.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>

#include <algorithm>
#include <array>

namespace kolokol::media {

namespace {
constexpr std::uint64_t kWakeKey = ~std::uint64_t{0};
constexpr std::uint64_t kClockKey = ~std::uint64_t{0} - 1;
}  // namespace

MediaWorker::MediaWorker(std::string name) : name_(std::move(name)) {}

MediaWorker::~MediaWorker() {
  stop();
}

bool MediaWorker::start() {
  epoll_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
  wake_ = UniqueFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  clock_ = UniqueFd(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!epoll_.valid() || !wake_.valid() || !clock_.valid()) return false;
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kWakeKey;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &event) != 0) return false;
  event.data.u64 = kClockKey;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, clock_.get(), &event) != 0) return false;
  itimerspec period{};
  period.it_interval.tv_nsec = std::chrono::nanoseconds(kTick).count();
  period.it_value = period.it_interval;
  if (::timerfd_settime(clock_.get(), 0, &period, nullptr) != 0) return false;
  thread_ = std::thread([this] { run(); });
  return true;
}

void MediaWorker::stop() {
  if (!thread_.joinable()) return;
  stopping_.store(true);
  const std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
  thread_.join();
  // Whatever was posted after the loop ended still runs, so owners' clean-ups are not lost.
  run_commands();
}

void MediaWorker::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    commands_.push_back(std::move(task));
  }
  const std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

bool MediaWorker::watch(int fd, PollHandler* handler, std::uint32_t tag) {
  if (fd < 0) return false;
  if (static_cast<std::size_t>(fd) >= watches_.size()) watches_.resize(fd + 1024);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = static_cast<std::uint64_t>(fd);
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) return false;
  watches_[fd] = {handler, tag};
  return true;
}

void MediaWorker::unwatch(int fd) {
  if (fd < 0 || static_cast<std::size_t>(fd) >= watches_.size()) return;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  watches_[fd] = {};
}

void MediaWorker::add_ticker(TickHandler* ticker) {
  tickers_.push_back(ticker);
}

void MediaWorker::remove_ticker(TickHandler* ticker) {
  std::erase(tickers_, ticker);
}

void MediaWorker::run() {
  const std::string thread_name = name_.substr(0, 15);
  pthread_setname_np(pthread_self(), thread_name.c_str());
  std::array<epoll_event, 256> events{};
  while (!stopping_.load(std::memory_order_relaxed)) {
    const int count = ::epoll_wait(epoll_.get(), events.data(), events.size(), 1000);
    now_ = MediaClock::now();
    bool ticked = false;
    for (int i = 0; i < count; ++i) {
      const std::uint64_t key = events[i].data.u64;
      if (key == kWakeKey) {
        std::uint64_t value = 0;
        (void)!::read(wake_.get(), &value, sizeof value);
        // Commands first: a relay told to transcode must do so for the packets of this batch.
        run_commands();
      } else if (key == kClockKey) {
        std::uint64_t expirations = 0;
        (void)!::read(clock_.get(), &expirations, sizeof expirations);
        ticked = true;
      }
    }
    for (int i = 0; i < count; ++i) {
      const std::uint64_t key = events[i].data.u64;
      // A relay destroyed by a command above has unwatched its fds, so their events find no
      // handler; an fd number reused meanwhile only costs its new owner an empty read.
      if (key < watches_.size() && watches_[key].handler) {
        watches_[key].handler->on_readable(watches_[key].tag);
      }
    }
    if (ticked) tick();
  }
}

void MediaWorker::run_commands() {
  {
    std::lock_guard lock(mutex_);
    running_commands_.swap(commands_);
  }
  for (auto& command : running_commands_) command();
  running_commands_.clear();
}

void MediaWorker::tick() {
  // Tickers are added and removed by commands, and commands never run during a tick.
  for (TickHandler* ticker : tickers_) ticker->on_tick(now_);
}

}  // namespace kolokol::media
