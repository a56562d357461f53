#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "config/loader.h"

namespace kolokol::server {

// How the configuration was obtained, so SIGHUP can load it again the same way.
struct ConfigSource {
  std::optional<std::string> file;
  config::Overrides overrides;
  config::DefaultsContext defaults;
};

// The running daemon: owns the log hub, the metrics, the SIP stack and the HTTP server, and
// runs the control loop on the calling thread (signals: SIGTERM/SIGINT stop gracefully, SIGHUP
// reloads).
class Daemon {
 public:
  Daemon(ConfigSource source, config::Config config);

  // Starts everything, blocks until stopped. Returns the process exit status: 0 after a clean
  // stop, 1 when start-up failed.
  int run();

 private:
  ConfigSource source_;
  config::Config config_;
};

}  // namespace kolokol::server
