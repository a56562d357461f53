// libFuzzer target for the repair of WAV files a killed recorder left behind: recover_wav reads
// chunk headers a damaged or hostile file controls, so it must never crash or loop, it must
// leave files it refuses untouched, and what it repairs must be a file libsndfile opens with
// the format, frame count and size the repair reported. A second repair must find nothing to do.
// Build and run: scripts/fuzz.sh 60 wav_recovery_fuzz
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "media/record/wav_recovery.h"

namespace {

using namespace kolokol::media;

void require(bool condition) {
  if (!condition) std::abort();
}

// The input as a file of its own; removed when the check is done.
class TempFile {
 public:
  TempFile(const std::uint8_t* data, std::size_t size) {
    char name[] = "/tmp/kolokol_wav_recovery_fuzz_XXXXXX";
    const int fd = ::mkstemp(name);
    require(fd >= 0);
    path_ = name;
    std::size_t done = 0;
    while (done < size) {
      const ssize_t wrote = ::write(fd, data + done, size - done);
      require(wrote > 0);
      done += static_cast<std::size_t>(wrote);
    }
    ::close(fd);
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

  std::vector<std::uint8_t> contents() const {
    std::vector<std::uint8_t> bytes;
    const std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path_.c_str(), "rb"), &std::fclose);
    require(file != nullptr);
    int c;
    while ((c = std::fgetc(file.get())) != EOF) bytes.push_back(static_cast<std::uint8_t>(c));
    return bytes;
  }

 private:
  std::string path_;
};

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};

void check_readable(const std::string& path, const WavRecovery& report) {
  SF_INFO info{};
  const std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(path.c_str(), SFM_READ, &info));
  require(file != nullptr);
  require((info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16);
  require(static_cast<std::uint32_t>(info.channels) == report.format.channels);
  require(static_cast<std::uint32_t>(info.samplerate) == report.format.sample_rate);
  require(static_cast<std::uint64_t>(info.frames) == report.frames);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  TempFile file(data, size);
  auto report = recover_wav(file.path());
  if (!report) {
    (void)report.error().describe();
    // Refused files are left as they were.
    const std::vector<std::uint8_t> after = file.contents();
    require(after.size() == size && std::equal(after.begin(), after.end(), data));
    return 0;
  }
  const std::vector<std::uint8_t> after = file.contents();
  const std::uint64_t block_align = report->format.channels * 2ull;
  require(report->format.channels >= 1 && report->format.sample_rate >= 1);
  require(report->recovered_data_bytes % block_align == 0);
  require(report->frames * block_align == report->recovered_data_bytes);
  require(after.size() == report->data_offset + report->recovered_data_bytes);
  require(after.size() + report->trimmed_bytes == size);
  require(report->header_rewritten != std::equal(after.begin(), after.end(), data));
  // Only the two size fields may have changed.
  for (std::size_t i = 0; i < after.size(); ++i) {
    const bool riff_size = i >= 4 && i < 8;
    const bool data_size = i + 4 >= report->data_offset && i < report->data_offset;
    if (!riff_size && !data_size) require(after[i] == data[i]);
  }

  auto again = recover_wav(file.path());
  require(again.has_value());
  require(!again->header_rewritten && again->trimmed_bytes == 0);
  require(again->frames == report->frames && again->data_offset == report->data_offset);
  require(file.contents() == after);

  // What recover_wav repairs, libsndfile reads.
  check_readable(file.path(), *report);
  return 0;
}
