#pragma once

#include <optional>
#include <string>

#include "base/expected.h"

namespace kolokol::cli {

// The admin API token: from the file --token-file names; else $KOLOKOL_TOKEN when set; else
// ./var/admin-token (the data directory of `make run`). Surrounding white space is dropped.
// The error names the file and says how to point at another one.
base::Expected<std::string, std::string> admin_token(const std::optional<std::string>& file,
                                                     const char* environment_value);

}  // namespace kolokol::cli
