#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "base/expected.h"

namespace kolokol::media {

// Writes mono 16-bit PCM as a WAV file, atomically (atomic_file.h). Returns the frames written.
base::Expected<std::size_t, std::string> write_wav_atomically(const std::filesystem::path& target,
                                                              std::span<const std::int16_t> samples,
                                                              int sample_rate);

}  // namespace kolokol::media
