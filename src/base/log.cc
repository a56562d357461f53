#include "base/log.h"

#include <stdexcept>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace kolokol::base {
namespace {

spdlog::level::level_enum parse_level(std::string_view level) {
  if (level == "trace") return spdlog::level::trace;
  if (level == "debug") return spdlog::level::debug;
  if (level == "info") return spdlog::level::info;
  if (level == "warn") return spdlog::level::warn;
  if (level == "error") return spdlog::level::err;
  if (level == "off") return spdlog::level::off;
  throw std::invalid_argument("unknown log level '" + std::string(level) + "'");
}

}  // namespace

bool LogHub::valid_level(std::string_view level) {
  return level == "trace" || level == "debug" || level == "info" || level == "warn" ||
         level == "error" || level == "off";
}

LogHub::LogHub(std::string_view level, std::string_view file_path) : level_(parse_level(level)) {
  sinks_.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (!file_path.empty()) {
    sinks_.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(std::string(file_path)));
  }
  // "2026-11-25T01:02:03.456Z info [sip.transport] message key=value ..."
  pattern_ = "%Y-%m-%dT%H:%M:%S.%eZ %l [%n] %v";
}

Logger LogHub::get(std::string_view component) {
  auto logger =
      std::make_shared<spdlog::logger>(std::string(component), sinks_.begin(), sinks_.end());
  logger->set_pattern(pattern_, spdlog::pattern_time_type::utc);
  logger->set_level(level_);
  logger->flush_on(spdlog::level::warn);
  loggers_.push_back(logger);
  return Logger(std::move(logger));
}

void LogHub::set_level(std::string_view level) {
  level_ = parse_level(level);
  for (auto& logger : loggers_) logger->set_level(level_);
}

void LogHub::flush() {
  for (auto& logger : loggers_) logger->flush();
}

}  // namespace kolokol::base
