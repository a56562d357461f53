#pragma once

#include <optional>
#include <string>

#include "config/loader.h"

namespace kolokol::server {

enum class Action { Run, CheckConfig, PrintConfigReference, Exit };

struct CommandLine {
  Action action = Action::Run;
  int exit_code = 0;  // for Action::Exit (--help, --version, a usage error)
  std::optional<std::string> config_file;
  config::Overrides overrides;
};

// Parses argv with CLI11. --help and --version print and yield Action::Exit with status 0; a
// usage error prints the reason and yields Action::Exit with status 2.
CommandLine parse_command_line(int argc, char** argv);

}  // namespace kolokol::server
