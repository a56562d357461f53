#pragma once

#include <map>
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "config/config_error.h"

namespace kolokol::config {

// Collects the problems of one load, each with the file and the line it sits on, and remembers
// where every key was written so checks across keys can point at a line too.
class Diagnostics {
 public:
  explicit Diagnostics(std::string source) : source_(std::move(source)) {}

  void invalid(const YAML::Node& at, const std::string& key, std::string reason);
  void invalid_at_line(int line, const std::string& key, std::string reason);
  void unknown(const YAML::Node& key_node, const std::string& key, std::string suggestion);

  // The text of a scalar value; reports "expected <what>" and returns nothing otherwise.
  std::optional<std::string> scalar(const YAML::Node& node, const std::string& key,
                                    const std::string& what);

  void remember(const std::string& key, const YAML::Node& at);
  int line_of(const std::string& key) const;  // 0 when the key was not in the file

  const std::string& source() const { return source_; }
  bool empty() const { return errors_.empty(); }
  ConfigErrors take() { return std::move(errors_); }

  static int line(const YAML::Node& node);

 private:
  std::string source_;
  ConfigErrors errors_;
  std::map<std::string, int> lines_;
};

}  // namespace kolokol::config
