#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/config.h"

namespace YAML {
class Node;
}

namespace kolokol::config {

class Diagnostics;

// One key of the configuration file: what it is, its default, how to read it. The loader, the
// `--print-config-reference` output and docs/configuration.md all come from this one list, so
// the documentation cannot drift from the code.
struct KeySpec {
  using Apply = std::function<void(const YAML::Node& value, const std::string& key, Config& config,
                                   Diagnostics& diagnostics)>;

  std::string path;  // dotted, e.g. "sip.timers.t1"
  std::string type;  // as shown to the reader: "duration", "port", "list of listeners" ...
  std::string default_text;
  std::string help;
  bool reloadable = false;  // applied on SIGHUP without a restart
  Apply apply;
};

std::vector<KeySpec> config_schema();

// Maps that only group keys ("sip", "sip.tls", "http.listen" ...), in document order.
std::vector<std::string> config_sections();

// The keys of one sip.listen entry.
std::vector<std::string> listener_keys();

}  // namespace kolokol::config
