#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "base/expected.h"

namespace kolokol::media {

// Writes `target` so that a reader (another process, another thread of ours, the next start
// after a crash) sees the old file or the whole new one, never part of it: `fill` writes into a
// fresh temporary file in the same directory, which is synced and then renamed over `target`.
// `fill` returns the bytes it wrote or why it failed; on failure the temporary is removed.
using FileFiller = std::function<base::Expected<std::size_t, std::string>(int fd)>;
base::Expected<std::size_t, std::string> write_file_atomically(const std::filesystem::path& target,
                                                               const FileFiller& fill);

base::Expected<std::size_t, std::string> write_text_file_atomically(
    const std::filesystem::path& target, std::string_view text);

}  // namespace kolokol::media
