#include "server/admin_token.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "server/pbx_store.h"

namespace kolokol::server {
namespace {

constexpr std::size_t kGeneratedLength = 32;
constexpr std::size_t kMinLength = 16;
constexpr std::size_t kMaxLength = 256;

std::string system_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

base::Expected<AdminToken, std::string> read_token(const std::string& path, int fd) {
  std::string text;
  char buffer[512];
  while (text.size() <= kMaxLength + 64) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return base::unexpected(system_error("cannot read the admin token", path));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  struct stat status {};
  const bool open_to_others = ::fstat(fd, &status) == 0 && (status.st_mode & 077) != 0;
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  const std::string token =
      first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
  for (unsigned char c : token) {
    if (c <= 0x20 || c >= 0x7f) {
      return base::unexpected("admin token " + path +
                              ": only printable ASCII without spaces is allowed");
    }
  }
  if (token.size() < kMinLength || token.size() > kMaxLength) {
    return base::unexpected("admin token " + path + ": must be " + std::to_string(kMinLength) +
                            " to " + std::to_string(kMaxLength) + " characters, got " +
                            std::to_string(token.size()) +
                            " (delete the file to have a new one made)");
  }
  return AdminToken{token, path, false, open_to_others};
}

}  // namespace

base::Expected<AdminToken, std::string> load_or_create_admin_token(const std::string& data_dir) {
  const std::string path = (std::filesystem::path(data_dir) / "admin-token").string();
  // O_EXCL: two daemons starting on one data directory never overwrite each other's token.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    const std::string token = random_password(kGeneratedLength);
    const std::string line = token + "\n";
    const ssize_t written = ::write(fd, line.data(), line.size());
    std::string error;
    if (written < 0) error = system_error("cannot write the admin token", path);
    if (written >= 0 && written != static_cast<ssize_t>(line.size())) {
      error = "short write to " + path;
    }
    if (::close(fd) != 0 && error.empty()) {
      error = system_error("cannot write the admin token", path);
    }
    if (!error.empty()) {
      ::unlink(path.c_str());  // a half-written token would fail every later start
      return base::unexpected(error);
    }
    return AdminToken{token, path, true, false};
  }
  if (errno != EEXIST) return base::unexpected(system_error("cannot create the admin token", path));
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return base::unexpected(system_error("cannot open the admin token", path));
  auto token = read_token(path, fd);
  ::close(fd);
  return token;
}

}  // namespace kolokol::server
