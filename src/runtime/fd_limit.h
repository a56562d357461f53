#pragma once

#include <cstdint>
#include <string>

#include "base/expected.h"

namespace kolokol::runtime {

struct FdLimit {
  std::uint64_t soft = 0;
  std::uint64_t hard = 0;
};

// Raises the soft RLIMIT_NOFILE to the hard limit so thousands of SIP/TCP connections fit; the
// daemon calls it once at start. Returns the limits in force afterwards.
base::Expected<FdLimit, std::string> raise_fd_limit();

}  // namespace kolokol::runtime
