#include "config/diagnostics.h"

namespace kolokol::config {
namespace {

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "nothing";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      return "'" + node.Scalar() + "'";
  }
  return "something else";
}

}  // namespace

int Diagnostics::line(const YAML::Node& node) {
  const auto mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}

void Diagnostics::invalid(const YAML::Node& at, const std::string& key, std::string reason) {
  // A missing value ("t1:" and nothing) is marked where the parser found the next token, often
  // a later line: its key's line is the one the reader wants.
  const int at_line = at.IsNull() ? line_of(key) : line(at);
  invalid_at_line(at_line > 0 ? at_line : line_of(key), key, std::move(reason));
}

void Diagnostics::invalid_at_line(int at_line, const std::string& key, std::string reason) {
  errors_.push_back(
      {ConfigError::Kind::InvalidValue, key, source_, at_line, std::move(reason), {}});
}

void Diagnostics::unknown(const YAML::Node& key_node, const std::string& key,
                          std::string suggestion) {
  errors_.push_back(
      {ConfigError::Kind::UnknownKey, key, source_, line(key_node), {}, std::move(suggestion)});
}

std::optional<std::string> Diagnostics::scalar(const YAML::Node& node, const std::string& key,
                                               const std::string& what) {
  if (!node.IsScalar()) {
    invalid(node, key, "expected " + what + ", got " + describe(node));
    return std::nullopt;
  }
  return node.Scalar();
}

void Diagnostics::remember(const std::string& key, const YAML::Node& at) {
  lines_[key] = line(at);
}

int Diagnostics::line_of(const std::string& key) const {
  auto it = lines_.find(key);
  return it == lines_.end() ? 0 : it->second;
}

}  // namespace kolokol::config
