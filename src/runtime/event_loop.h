#pragma once

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace kolokol::runtime {

// An io_context with the thread that runs it. The loop keeps running while idle until stop().
class EventLoop {
 public:
  explicit EventLoop(std::string name);
  ~EventLoop();  // stops and joins
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  boost::asio::io_context& context() { return io_; }
  const std::string& name() const { return name_; }

  void start();
  // Runs the handlers posted before this call, then stops the loop and joins the thread.
  // Pending operations (reads, timers) are abandoned, so owners close their sockets first
  // (post their shutdown, then stop). Must not be called from the loop thread.
  void stop();
  bool running() const { return thread_.joinable(); }
  bool in_loop_thread() const { return std::this_thread::get_id() == thread_id_; }

  void post(std::function<void()> task);

 private:
  std::string name_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::thread::id thread_id_;
};

}  // namespace kolokol::runtime
