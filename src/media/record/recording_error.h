#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kolokol::media {

// Why a recording file could not be created, written or finished. Errors are values: the writer
// thread reports them through the recording's completion, never by throwing across threads.
enum class RecordingError : std::uint8_t {
  AlreadyExists,     // the path names an existing file; recordings are never overwritten
  DirectoryMissing,  // a directory on the path does not exist
  PermissionDenied,  // not allowed to create the file (or a read-only file system)
  CannotCreate,      // any other reason the file could not be created or opened
  DiskFull,          // ENOSPC or EDQUOT while writing
  WriteFailed,       // any other I/O error while writing
  BadFormat,         // sample rate, channel count or bitrate the format cannot carry
  EncoderFailed,     // the Opus or MP3 encoder refused its input or settings
  TooLarge,          // a WAV file would pass the 4 GiB the RIFF sizes can describe
  Closed,            // the sink was already closed
  NotFound,          // recover_wav(): no file at the path
  NotWav,            // recover_wav(): not a RIFF/WAVE file, or its chunks are damaged
  Unsupported,       // recover_wav(): a WAV this module did not write (not PCM 16-bit)
};
std::string_view recording_error_name(RecordingError error);

struct RecordingFailure {
  RecordingError error = RecordingError::WriteFailed;
  int system_errno = 0;  // errno of the failed call, 0 when not a system error
  std::string detail;    // e.g. the encoder's own message

  std::string describe() const;
};

// Maps errno from open(2) / write(2) to the taxonomy above.
RecordingFailure failure_from_open_errno(int error_number);
RecordingFailure failure_from_write_errno(int error_number);

}  // namespace kolokol::media
