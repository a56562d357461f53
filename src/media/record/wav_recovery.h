#pragma once

#include <cstdint>
#include <string>

#include "base/expected.h"
#include "media/record/recording_error.h"
#include "media/record/recording_sink.h"

namespace kolokol::media {

// What recover_wav() found and changed.
struct WavRecovery {
  AudioFormat format;
  std::uint64_t data_offset = 0;           // where the samples start
  std::uint64_t declared_data_bytes = 0;   // the data size the header claimed
  std::uint64_t recovered_data_bytes = 0;  // the data size it claims now
  std::uint64_t frames = 0;                // frames the file now holds
  std::uint64_t trimmed_bytes = 0;         // a partial trailing frame cut off the end
  bool header_rewritten = false;           // false: the file was already consistent
};

// Repairs a 16-bit PCM WAV left behind by a killed recorder: the "data" chunk is taken to run
// to the end of the file (the recorder never writes chunks after it), the file is cut to whole
// frames, and the RIFF and data sizes are rewritten to match. A file the recorder did not write
// (not RIFF/WAVE, damaged chunks, another sample format) is refused and left untouched.
base::Expected<WavRecovery, RecordingFailure> recover_wav(const std::string& path);

}  // namespace kolokol::media
