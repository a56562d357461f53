#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/logger.h>

namespace kolokol::base {

// A component's logger: every line carries the component tag ("sip.transport", "http", ...).
// Cheap to copy; components keep one by value.
class Logger {
 public:
  Logger() = default;
  explicit Logger(std::shared_ptr<spdlog::logger> impl) : impl_(std::move(impl)) {}

  template <typename... Args>
  void debug(spdlog::format_string_t<Args...> fmt, Args&&... args) const {
    if (impl_) impl_->debug(fmt, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void info(spdlog::format_string_t<Args...> fmt, Args&&... args) const {
    if (impl_) impl_->info(fmt, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void warn(spdlog::format_string_t<Args...> fmt, Args&&... args) const {
    if (impl_) impl_->warn(fmt, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void error(spdlog::format_string_t<Args...> fmt, Args&&... args) const {
    if (impl_) impl_->error(fmt, std::forward<Args>(args)...);
  }
  bool debug_enabled() const { return impl_ && impl_->should_log(spdlog::level::debug); }

 private:
  std::shared_ptr<spdlog::logger> impl_;  // null: a silent logger (tests, tools)
};

// Owns the sinks and hands out per-component loggers that share them. Created once by the
// composition root (server) and passed down; there is no global logger.
class LogHub {
 public:
  LogHub(std::string_view level, std::string_view file_path = {});

  Logger get(std::string_view component);
  // Changes the level of every logger handed out so far and of those to come.
  void set_level(std::string_view level);
  void flush();

  static bool valid_level(std::string_view level);

 private:
  std::vector<spdlog::sink_ptr> sinks_;
  std::vector<std::shared_ptr<spdlog::logger>> loggers_;
  spdlog::level::level_enum level_;
  std::string pattern_;
};

}  // namespace kolokol::base
