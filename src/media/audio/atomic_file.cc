#include "media/audio/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace kolokol::media {
namespace {

std::string errno_text(std::string_view what) {
  return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

base::Expected<std::size_t, std::string> write_file_atomically(const std::filesystem::path& target,
                                                               const FileFiller& fill) {
  // mkstemp picks a name no concurrent writer of the same target can also pick.
  std::string pattern = target.string() + ".tmp.XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return base::unexpected(errno_text("create " + pattern));
  const std::string temp(name.data());
  // mkstemp makes the file private (0600); cache files are meant to be read by others too.
  ::fchmod(fd, 0644);

  auto written = fill(fd);
  std::string failure;
  if (!written) {
    failure = written.error();
  } else if (::fsync(fd) != 0) {
    failure = errno_text("sync " + temp);
  }
  if (::close(fd) != 0 && failure.empty()) failure = errno_text("close " + temp);
  if (failure.empty() && std::rename(temp.c_str(), target.c_str()) != 0) {
    failure = errno_text("rename to " + target.string());
  }
  if (!failure.empty()) {
    ::unlink(temp.c_str());
    return base::unexpected(std::move(failure));
  }
  return *written;
}

base::Expected<std::size_t, std::string> write_text_file_atomically(
    const std::filesystem::path& target, std::string_view text) {
  return write_file_atomically(target, [text](int fd) -> base::Expected<std::size_t, std::string> {
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return base::unexpected(errno_text("write"));
      done += static_cast<std::size_t>(n);
    }
    return done;
  });
}

}  // namespace kolokol::media
