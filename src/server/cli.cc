#include "server/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "server/version.h"

namespace kolokol::server {

CommandLine parse_command_line(int argc, char** argv) {
  CommandLine result;
  CLI::App app(
      "kolokold: the Kolokol IP-PBX daemon. Runs with embedded defaults when no "
      "configuration file is given; see docs/configuration.md.",
      "kolokold");
  std::string config_file;
  std::string data_dir;
  std::string log_level;
  bool check_config = false;
  bool print_reference = false;
  bool version = false;
  app.add_option("-c,--config", config_file, "YAML configuration file")->type_name("FILE");
  app.add_option("--data-dir", data_dir, "Directory for data (overrides data_dir)")
      ->type_name("DIR");
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error or off (overrides log.level)")
      ->type_name("LEVEL");
  app.add_flag("--check-config", check_config,
               "Validate the configuration, print the result and exit (0 valid, 2 invalid)");
  app.add_flag("--print-config-reference", print_reference,
               "Print the configuration reference (docs/configuration.md) and exit");
  app.add_flag("-V,--version", version, "Print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);  // prints help or the error
    result.action = Action::Exit;
    result.exit_code = code == 0 ? 0 : 2;
    return result;
  }
  if (version) {
    std::cout << "kolokold " << kVersion << "\n";
    result.action = Action::Exit;
    return result;
  }
  if (!config_file.empty()) result.config_file = config_file;
  if (app.count("--data-dir")) result.overrides.data_dir = data_dir;
  if (app.count("--log-level")) result.overrides.log_level = log_level;
  if (print_reference)
    result.action = Action::PrintConfigReference;
  else if (check_config)
    result.action = Action::CheckConfig;
  return result;
}

}  // namespace kolokol::server
