#include "media/audio/wav_writer.h"

#include "media/audio/atomic_file.h"
#include "media/audio/sndfile_handle.h"

namespace kolokol::media {

base::Expected<std::size_t, std::string> write_wav_atomically(const std::filesystem::path& target,
                                                              std::span<const std::int16_t> samples,
                                                              int sample_rate) {
  return write_file_atomically(target, [&](int fd) -> base::Expected<std::size_t, std::string> {
    SF_INFO info{};
    info.samplerate = sample_rate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    // The descriptor stays ours (SF_FALSE): write_file_atomically syncs and closes it.
    SndfileHandle file(sf_open_fd(fd, SFM_WRITE, &info, SF_FALSE));
    if (!file) return base::unexpected(std::string(sf_strerror(nullptr)));
    const auto frames = static_cast<sf_count_t>(samples.size());
    if (sf_writef_short(file.get(), samples.data(), frames) != frames) {
      return base::unexpected(std::string(sf_strerror(file.get())));
    }
    // Closing writes the final header sizes; it must happen before the file is renamed.
    if (sf_close(file.release()) != 0) {
      return base::unexpected(std::string("finishing the WAV header failed"));
    }
    return samples.size();
  });
}

}  // namespace kolokol::media
