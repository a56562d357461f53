#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace YAML {
class Node;
}

namespace kolokol::config {

class Diagnostics;

// Reads the `tenants` key: a list of {name, domains, extensions: [{number, name, password}]}.
// Every value is checked on its own here; duplicates across entries are cross_checks.cc's.
void apply_tenants(const YAML::Node& node, const std::string& key, Config& config,
                   Diagnostics& diagnostics);

// The keys of one tenants entry and of one of its extensions, for "did you mean".
std::vector<std::string> tenant_keys();
std::vector<std::string> extension_keys();

}  // namespace kolokol::config
