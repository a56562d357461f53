#include "runtime/asio_timer_service.h"

#include <boost/system/error_code.hpp>

namespace kolokol::runtime {

struct AsioTimerService::State : std::enable_shared_from_this<State> {
  explicit State(boost::asio::io_context& io) : timer(io) {}

  struct Key {
    base::TimePoint deadline;
    base::TimerId id;
    bool operator<(const Key& other) const {
      return deadline != other.deadline ? deadline < other.deadline : id < other.id;
    }
  };

  boost::asio::steady_timer timer;
  std::map<Key, Callback> timers;
  std::unordered_map<base::TimerId, base::TimePoint> deadlines;
  base::TimerId next_id = 1;
  // Deadline the steady_timer is armed for; max() when idle.
  base::TimePoint armed_for = base::TimePoint::max();

  void arm() {
    if (timers.empty()) {
      if (armed_for != base::TimePoint::max()) timer.cancel();
      armed_for = base::TimePoint::max();
      return;
    }
    const base::TimePoint earliest = timers.begin()->first.deadline;
    if (earliest == armed_for) return;
    armed_for = earliest;
    timer.expires_at(earliest);  // cancels a previous wait; its handler sees operation_aborted
    timer.async_wait([weak = weak_from_this(), earliest](const boost::system::error_code& ec) {
      if (ec == boost::asio::error::operation_aborted) return;
      if (auto self = weak.lock()) self->on_expiry(earliest);
    });
  }

  void on_expiry(base::TimePoint waited_for) {
    if (waited_for != armed_for) return;  // a newer wait is pending
    armed_for = base::TimePoint::max();
    const base::TimePoint now = base::Clock::now();
    auto self = shared_from_this();  // a callback may destroy the service
    while (!timers.empty() && timers.begin()->first.deadline <= now) {
      auto node = timers.extract(timers.begin());
      deadlines.erase(node.key().id);
      node.mapped()();                    // may schedule or cancel timers
      if (self.use_count() == 1) return;  // service destroyed by the callback
    }
    arm();
  }
};

AsioTimerService::AsioTimerService(boost::asio::io_context& io)
    : state_(std::make_shared<State>(io)) {}

AsioTimerService::~AsioTimerService() {
  state_->timers.clear();
  state_->deadlines.clear();
  state_->timer.cancel();
}

base::TimerId AsioTimerService::schedule(base::Duration delay, Callback callback) {
  const base::TimerId id = state_->next_id++;
  const base::TimePoint deadline =
      base::Clock::now() + (delay.count() < 0 ? base::Duration{0} : delay);
  state_->timers.emplace(State::Key{deadline, id}, std::move(callback));
  state_->deadlines.emplace(id, deadline);
  state_->arm();
  return id;
}

void AsioTimerService::cancel(base::TimerId id) {
  auto it = state_->deadlines.find(id);
  if (it == state_->deadlines.end()) return;
  state_->timers.erase(State::Key{it->second, id});
  state_->deadlines.erase(it);
  // Left armed for a cancelled earliest deadline: the expiry finds nothing due and re-arms.
}

std::size_t AsioTimerService::pending() const {
  return state_->timers.size();
}

}  // namespace kolokol::runtime
