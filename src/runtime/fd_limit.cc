#include "runtime/fd_limit.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace kolokol::runtime {

base::Expected<FdLimit, std::string> raise_fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return base::unexpected(std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
  }
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
      return base::unexpected(std::string("setrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
    }
    limit = raised;
  }
  return FdLimit{static_cast<std::uint64_t>(limit.rlim_cur),
                 static_cast<std::uint64_t>(limit.rlim_max)};
}

}  // namespace kolokol::runtime
