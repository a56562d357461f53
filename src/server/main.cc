#include <iostream>

#include "config/config.h"
#include "config/loader.h"
#include "config/reference.h"
#include "server/cli.h"
#include "server/daemon.h"
#include "server/version.h"

// Exit status: 0 after a clean stop (or --help, --version, a valid --check-config), 1 when the
// daemon could not start (a port taken, the data directory not writable ...), 2 for a usage or
// configuration error.
int main(int argc, char** argv) {
  using namespace kolokol;
  const server::CommandLine command = server::parse_command_line(argc, argv);
  switch (command.action) {
    case server::Action::Exit:
      return command.exit_code;
    case server::Action::PrintConfigReference:
      std::cout << config::render_reference_markdown();
      return 0;
    case server::Action::CheckConfig:
    case server::Action::Run:
      break;
  }
  const config::DefaultsContext defaults{config::host_has_ipv6(), std::string(server::kVersion)};
  auto loaded = config::load_config(command.config_file, command.overrides, defaults);
  if (!loaded) {
    std::cerr << config::format_errors(loaded.error());
    std::cerr << (command.action == server::Action::CheckConfig
                      ? "kolokold: configuration invalid\n"
                      : "kolokold: configuration rejected, not starting\n");
    return 2;
  }
  if (command.action == server::Action::CheckConfig) {
    std::cout << (command.config_file ? *command.config_file : std::string("(defaults)"))
              << ": configuration OK\n";
    return 0;
  }
  server::Daemon daemon({command.config_file, command.overrides, defaults}, std::move(*loaded));
  return daemon.run();
}
