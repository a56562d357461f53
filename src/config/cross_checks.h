#pragma once

#include "config/config.h"
#include "config/diagnostics.h"

namespace kolokol::config {

// Checks that involve more than one key (duplicate listeners, T1 <= T2, the TLS pair, registrar
// min <= default <= max, duplicate tenants, extensions and domains) or the file system (the TLS
// files exist). Runs after every key was read, and only when each key was valid on its own.
void check_across_keys(const Config& config, Diagnostics& diagnostics);

}  // namespace kolokol::config
