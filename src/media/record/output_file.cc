#include "media/record/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace kolokol::media {
namespace {

// write(2) until everything is out: short writes and EINTR are ordinary on a busy disk.
int write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (written == 0) return EIO;
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return 0;
}

int pwrite_all(int fd, const std::uint8_t* data, std::size_t size, off_t offset) {
  while (size > 0) {
    const ssize_t written = ::pwrite(fd, data, size, offset);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (written == 0) return EIO;
    data += written;
    size -= static_cast<std::size_t>(written);
    offset += written;
  }
  return 0;
}

}  // namespace

base::Expected<std::unique_ptr<OutputFile>, RecordingFailure> OutputFile::create(
    const std::string& path, std::size_t buffer_bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return base::unexpected(failure_from_open_errno(errno));
  return std::unique_ptr<OutputFile>(new OutputFile(fd, path, buffer_bytes));
}

OutputFile::OutputFile(int fd, std::string path, std::size_t buffer_bytes)
    : fd_(fd), path_(std::move(path)), buffer_limit_(buffer_bytes > 0 ? buffer_bytes : 1) {
  buffer_.reserve(buffer_limit_);
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) (void)close();
}

base::Expected<std::uint64_t, RecordingFailure> OutputFile::fail(RecordingFailure failure) {
  failure_ = failure;
  buffer_.clear();
  return base::unexpected(std::move(failure));
}

base::Expected<std::uint64_t, RecordingFailure> OutputFile::append(
    std::span<const std::uint8_t> bytes) {
  if (failure_) return base::unexpected(*failure_);
  if (fd_ < 0) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  if (buffer_.size() + bytes.size() > buffer_limit_) {
    auto flushed = flush();
    if (!flushed) return flushed;
  }
  if (bytes.size() >= buffer_limit_) {
    if (const int error = write_all(fd_, bytes.data(), bytes.size()); error != 0) {
      return fail(failure_from_write_errno(error));
    }
    flushed_ += bytes.size();
  } else {
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  }
  return size();
}

base::Expected<std::uint64_t, RecordingFailure> OutputFile::flush() {
  if (failure_) return base::unexpected(*failure_);
  if (fd_ < 0) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  if (buffer_.empty()) return flushed_;
  if (const int error = write_all(fd_, buffer_.data(), buffer_.size()); error != 0) {
    return fail(failure_from_write_errno(error));
  }
  flushed_ += buffer_.size();
  buffer_.clear();
  return flushed_;
}

base::Expected<std::uint64_t, RecordingFailure> OutputFile::overwrite(
    std::uint64_t offset, std::span<const std::uint8_t> bytes) {
  if (failure_) return base::unexpected(*failure_);
  if (fd_ < 0) return base::unexpected(RecordingFailure{RecordingError::Closed, 0, {}});
  if (offset + bytes.size() > flushed_) {
    auto flushed = flush();
    if (!flushed) return flushed;
  }
  if (const int error = pwrite_all(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
      error != 0) {
    return fail(failure_from_write_errno(error));
  }
  return size();
}

base::Expected<std::uint64_t, RecordingFailure> OutputFile::close() {
  if (fd_ < 0) {
    if (failure_) return base::unexpected(*failure_);
    return flushed_;
  }
  auto flushed = flush();
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0 && flushed && errno != EINTR) {
    return fail(failure_from_write_errno(errno));
  }
  return flushed;
}

void OutputFile::abandon() {
  buffer_.clear();
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

void OutputFile::discard() {
  abandon();
  ::unlink(path_.c_str());
}

}  // namespace kolokol::media
