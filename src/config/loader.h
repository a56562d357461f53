#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "config/config.h"
#include "config/config_error.h"

namespace kolokol::config {

// Command-line options that override the file (they win over it).
struct Overrides {
  std::optional<std::string> data_dir;   // --data-dir
  std::optional<std::string> log_level;  // --log-level
};

// Builds the configuration: embedded defaults, then the YAML file when one is given, then the
// overrides, then the checks across keys. Any unknown key or invalid value fails the whole load
// and every problem found is returned, each naming its key, file and line.
base::Expected<Config, ConfigErrors> load_config(const std::optional<std::string>& file,
                                                 const Overrides& overrides,
                                                 const DefaultsContext& defaults);

// The same from YAML text; `source` names it in messages.
base::Expected<Config, ConfigErrors> parse_config(std::string_view yaml, const std::string& source,
                                                  const Overrides& overrides,
                                                  const DefaultsContext& defaults);

// One line per error, for printing to stderr.
std::string format_errors(const ConfigErrors& errors);

}  // namespace kolokol::config
