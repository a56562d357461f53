#pragma once

#include <string>
#include <vector>

namespace kolokol::config {

// One problem found while loading a configuration. to_string() is the line printed to the
// operator, e.g.
//   unknown key 'sip.listn' in kolokol.yaml line 3; did you mean 'sip.listen'?
//   invalid value for 'sip.listen[0].port' in kolokol.yaml line 5: port must be between 1 and ...
struct ConfigError {
  enum class Kind { UnknownKey, InvalidValue, Syntax, Unreadable };

  Kind kind = Kind::InvalidValue;
  std::string key;     // full dotted path; empty for Syntax and Unreadable
  std::string source;  // file name, "--log-level" for a command-line override
  int line = 0;        // 1-based; 0 when not known
  std::string reason;
  std::string suggestion;  // for UnknownKey: the closest known key, if any is close

  std::string to_string() const;
};

using ConfigErrors = std::vector<ConfigError>;

}  // namespace kolokol::config
