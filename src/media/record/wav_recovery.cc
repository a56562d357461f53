#include "media/record/wav_recovery.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

#include "media/record/wav_header.h"

namespace kolokol::media {
namespace {

// The recorder writes the canonical header: "fmt " then "data". Anything else was not written by
// it, and readers may parse such layouts differently than this repair would, so it is refused.
constexpr int kMaxChunksBeforeData = 2;

class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

RecordingFailure not_wav(const char* why) {
  return {RecordingError::NotWav, 0, why};
}

// Reads exactly `size` bytes at `offset`; false on a short read or error.
bool read_at(int fd, std::uint64_t offset, std::uint8_t* out, std::size_t size) {
  while (size > 0) {
    const ssize_t got = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    size -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

bool write_at(int fd, std::uint64_t offset, std::span<const std::uint8_t> bytes) {
  return ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset)) ==
         static_cast<ssize_t>(bytes.size());
}

struct WavLayout {
  AudioFormat format;
  std::uint64_t data_offset = 0;
  std::uint32_t declared_data_bytes = 0;
};

base::Expected<WavLayout, RecordingFailure> read_layout(int fd, std::uint64_t file_size) {
  std::array<std::uint8_t, 12> riff{};
  if (file_size < riff.size() || !read_at(fd, 0, riff.data(), riff.size())) {
    return base::unexpected(not_wav("shorter than a RIFF header"));
  }
  if (std::memcmp(riff.data(), "RIFF", 4) != 0 || std::memcmp(riff.data() + 8, "WAVE", 4) != 0) {
    return base::unexpected(not_wav("no RIFF/WAVE signature"));
  }
  std::optional<AudioFormat> format;
  std::uint64_t offset = riff.size();
  for (int chunk = 0; chunk < kMaxChunksBeforeData; ++chunk) {
    std::array<std::uint8_t, 8> head{};
    if (offset + head.size() > file_size || !read_at(fd, offset, head.data(), head.size())) {
      return base::unexpected(not_wav("no data chunk"));
    }
    const std::uint32_t size = read_le32(head.data() + 4);
    // RIFF chunk ids are printable ASCII; anything else is not a file we wrote (and a reader
    // would stop there, leaving the "recovered" file unreadable).
    if (!std::all_of(head.begin(), head.begin() + 4,
                     [](std::uint8_t c) { return c >= 0x20 && c < 0x7F; })) {
      return base::unexpected(not_wav("a chunk id that is not text"));
    }
    if (!format && std::memcmp(head.data(), "fmt ", 4) != 0 &&
        std::memcmp(head.data(), "data", 4) != 0) {
      return base::unexpected(not_wav("a chunk before fmt that the recorder never writes"));
    }
    if (std::memcmp(head.data(), "data", 4) == 0) {
      if (!format) return base::unexpected(not_wav("data chunk before fmt chunk"));
      return WavLayout{*format, offset + head.size(), size};
    }
    if (std::memcmp(head.data(), "fmt ", 4) == 0) {
      if (format) return base::unexpected(not_wav("two fmt chunks"));
      std::array<std::uint8_t, 16> fmt{};
      if (size < fmt.size() || offset + head.size() + fmt.size() > file_size ||
          !read_at(fd, offset + head.size(), fmt.data(), fmt.size())) {
        return base::unexpected(not_wav("fmt chunk cut short"));
      }
      const std::uint16_t tag = read_le16(fmt.data());
      const std::uint16_t channels = read_le16(fmt.data() + 2);
      const std::uint32_t rate = read_le32(fmt.data() + 4);
      const std::uint16_t block_align = read_le16(fmt.data() + 12);
      const std::uint16_t bits = read_le16(fmt.data() + 14);
      // The recorder writes 8 to 48 kHz; readers refuse rates beyond an int.
      if (tag != 1 || bits != 16 || channels == 0 || channels > 8 || rate < 1000 || rate > 384000 ||
          block_align != channels * 2) {
        return base::unexpected(RecordingFailure{RecordingError::Unsupported, 0, "not 16-bit PCM"});
      }
      format = AudioFormat{rate, channels};
    }
    // Chunks are word aligned: an odd size is followed by a pad byte.
    offset += head.size() + std::uint64_t{size} + (size & 1u);
  }
  return base::unexpected(not_wav("a chunk between fmt and data that the recorder never writes"));
}

}  // namespace

base::Expected<WavRecovery, RecordingFailure> recover_wav(const std::string& path) {
  ScopedFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (fd.get() < 0) {
    const int error = errno;
    if (error == ENOENT)
      return base::unexpected(RecordingFailure{RecordingError::NotFound, error, {}});
    return base::unexpected(failure_from_open_errno(error));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return base::unexpected(failure_from_write_errno(errno));
  if (!S_ISREG(info.st_mode)) return base::unexpected(not_wav("not a regular file"));
  const auto file_size = static_cast<std::uint64_t>(info.st_size);

  auto layout = read_layout(fd.get(), file_size);
  if (!layout) return base::unexpected(layout.error());

  WavRecovery report;
  report.format = layout->format;
  report.data_offset = layout->data_offset;
  report.declared_data_bytes = layout->declared_data_bytes;
  const std::uint64_t block_align = layout->format.channels * 2u;
  const std::uint64_t available = file_size - layout->data_offset;
  if (layout->data_offset - 8 >= 0xffffffffull) return base::unexpected(not_wav("huge chunks"));
  const std::uint64_t max_data = 0xffffffffull - (layout->data_offset - 8);
  std::uint64_t data_bytes = available - available % block_align;
  if (data_bytes > max_data) {
    // Longer than RIFF can describe: keep the bytes, describe as much as fits.
    data_bytes = max_data - max_data % block_align;
  } else if (data_bytes < available) {
    report.trimmed_bytes = available - data_bytes;
    if (::ftruncate(fd.get(), static_cast<off_t>(layout->data_offset + data_bytes)) != 0) {
      return base::unexpected(failure_from_write_errno(errno));
    }
  }
  report.recovered_data_bytes = data_bytes;
  report.frames = data_bytes / block_align;

  std::array<std::uint8_t, 4> riff_now{};
  if (!read_at(fd.get(), kWavRiffSizeOffset, riff_now.data(), riff_now.size())) {
    return base::unexpected(not_wav("RIFF size unreadable"));
  }
  const auto riff_size = static_cast<std::uint32_t>(layout->data_offset - 8 + data_bytes);
  if (layout->declared_data_bytes != data_bytes || read_le32(riff_now.data()) != riff_size) {
    if (!write_at(fd.get(), kWavRiffSizeOffset, le32(riff_size)) ||
        !write_at(fd.get(), layout->data_offset - 4,
                  le32(static_cast<std::uint32_t>(data_bytes)))) {
      return base::unexpected(failure_from_write_errno(errno != 0 ? errno : EIO));
    }
    report.header_rewritten = true;
  }
  return report;
}

}  // namespace kolokol::media
