#include "media/audio/music_on_hold_loader.h"

#include <algorithm>
#include <exception>
#include <random>
#include <system_error>
#include <utility>

namespace kolokol::media {
namespace {

namespace fs = std::filesystem;

base::Expected<std::vector<fs::path>, MohError> list_files(const fs::path& folder) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    return base::unexpected(MohError{MohErrorKind::FolderMissing, folder.string()});
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    const fs::path& path = it->path();
    if (path.filename().string().starts_with('.')) continue;
    std::error_code type_error;
    if (it->is_regular_file(type_error)) files.push_back(path);
  }
  if (error) {
    return base::unexpected(
        MohError{MohErrorKind::FolderMissing, folder.string() + ": " + error.message()});
  }
  return files;
}

base::Expected<LoadedMohClass, MohError> load(std::string name, const fs::path& folder,
                                              const MohLoadOptions& options) {
  auto files = list_files(folder);
  if (!files) return base::unexpected(files.error());
  std::sort(files->begin(), files->end());
  if (options.order == MohOrder::Shuffled) {
    std::mt19937 random(options.shuffle_seed);
    std::shuffle(files->begin(), files->end(), random);
  }

  LoadedMohClass loaded;
  std::vector<PromptClipPtr> tracks;
  for (const fs::path& file : *files) {
    auto clip = load_prompt(file, options.sample_rate, options.load);
    if (clip) {
      tracks.push_back(std::move(*clip));
    } else {
      loaded.skipped.push_back(clip.error());
    }
  }
  if (tracks.empty()) {
    return base::unexpected(MohError{MohErrorKind::NoPlayableFiles, folder.string()});
  }
  auto moh_class = MusicOnHoldClass::create(std::move(name), std::move(tracks), options.sample_rate,
                                            options.frame_duration);
  if (!moh_class) return base::unexpected(moh_class.error());
  loaded.moh_class = std::move(*moh_class);
  return loaded;
}

}  // namespace

base::Expected<LoadedMohClass, MohError> load_music_on_hold_class(std::string name,
                                                                  const fs::path& folder,
                                                                  const MohLoadOptions& options) {
  try {
    return load(std::move(name), folder, options);
  } catch (const std::exception& e) {
    return base::unexpected(MohError{MohErrorKind::NoPlayableFiles, e.what()});
  }
}

}  // namespace kolokol::media
