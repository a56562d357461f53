#pragma once

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <unordered_map>

#include "base/timer_service.h"

namespace kolokol::runtime {

// base::TimerService on a boost::asio::io_context: one steady_timer armed at the earliest of a
// deadline-ordered map, so schedule and cancel are O(log n) and thousands of idle timers cost one
// kernel timer. Callbacks run on the thread that runs the io_context; schedule and cancel must be
// called from that thread too (TimerService is single-threaded by contract).
class AsioTimerService final : public base::TimerService {
 public:
  explicit AsioTimerService(boost::asio::io_context& io);
  ~AsioTimerService() override;
  AsioTimerService(const AsioTimerService&) = delete;
  AsioTimerService& operator=(const AsioTimerService&) = delete;

  base::TimePoint now() const override { return base::Clock::now(); }
  base::TimerId schedule(base::Duration delay, Callback callback) override;
  void cancel(base::TimerId id) override;

  std::size_t pending() const;

 private:
  // Shared with the pending wait handler, which may run after this object is gone (the handler
  // of an already expired wait cannot be cancelled).
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace kolokol::runtime
