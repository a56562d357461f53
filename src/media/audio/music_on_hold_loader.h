#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/expected.h"
#include "media/audio/audio_error.h"
#include "media/audio/audio_file.h"
#include "media/audio/music_on_hold_class.h"

namespace kolokol::media {

enum class MohOrder : std::uint8_t { Sorted, Shuffled };

struct MohLoadOptions {
  int sample_rate = 8000;
  base::Duration frame_duration = base::Duration(20);
  MohOrder order = MohOrder::Sorted;  // Sorted: by file name, byte order
  std::uint32_t shuffle_seed = 0;     // Shuffled: the same seed gives the same order
  PromptLoadOptions load;
};

struct LoadedMohClass {
  std::unique_ptr<MusicOnHoldClass> moh_class;
  // Files in the folder that did not decode (a stray README, a truncated upload), for the log.
  std::vector<AudioError> skipped;
};

// Builds a class from the audio files directly in `folder` (no recursion; dot files ignored),
// each decoded once, whole, at the class's rate. Blocking I/O for the blocking pool; the class it
// returns then moves to the media worker that ticks it. A missing folder, or one where nothing
// decodes, is an error; individual bad files are skipped and reported.
base::Expected<LoadedMohClass, MohError> load_music_on_hold_class(
    std::string name, const std::filesystem::path& folder, const MohLoadOptions& options = {});

}  // namespace kolokol::media
