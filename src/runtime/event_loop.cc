#include "runtime/event_loop.h"

#include <pthread.h>

#include <boost/asio/post.hpp>
#include <future>

namespace kolokol::runtime {

EventLoop::EventLoop(std::string name) : name_(std::move(name)) {}

EventLoop::~EventLoop() {
  stop();
}

void EventLoop::start() {
  if (thread_.joinable()) return;
  io_.restart();
  work_.emplace(io_.get_executor());
  std::promise<void> started;
  auto started_future = started.get_future();
  thread_ = std::thread([this, &started] {
    thread_id_ = std::this_thread::get_id();  // written before any handler can ask
    // `top -H`, perf and gdb show the loop's name; Linux keeps 15 characters.
    pthread_setname_np(pthread_self(), ("k-" + name_).substr(0, 15).c_str());
    started.set_value();
    io_.run();
  });
  started_future.wait();
}

void EventLoop::stop() {
  if (!thread_.joinable()) return;
  // Posted while the guard still holds the loop, so it is the stop handler that ends run()
  // (never an out-of-work exit that would leave it queued for the next start()).
  boost::asio::post(io_, [this] { io_.stop(); });
  work_.reset();
  thread_.join();
  thread_id_ = {};
}

void EventLoop::post(std::function<void()> task) {
  boost::asio::post(io_, std::move(task));
}

}  // namespace kolokol::runtime
