#include "config/config_error.h"

namespace kolokol::config {

std::string ConfigError::to_string() const {
  std::string where = "in " + source;
  if (line > 0) where += " line " + std::to_string(line);
  switch (kind) {
    case Kind::UnknownKey: {
      std::string text = "unknown key '" + key + "' " + where;
      if (!suggestion.empty()) text += "; did you mean '" + suggestion + "'?";
      return text;
    }
    case Kind::InvalidValue:
      return "invalid value for '" + key + "' " + where + ": " + reason;
    case Kind::Syntax:
      return "syntax error " + where + ": " + reason;
    case Kind::Unreadable:
      return "cannot read " + source + ": " + reason;
  }
  return reason;
}

}  // namespace kolokol::config
