#include "media/record/recording_error.h"

#include <cerrno>
#include <cstring>

namespace kolokol::media {

std::string_view recording_error_name(RecordingError error) {
  switch (error) {
    case RecordingError::AlreadyExists:
      return "file already exists";
    case RecordingError::DirectoryMissing:
      return "directory missing";
    case RecordingError::PermissionDenied:
      return "permission denied";
    case RecordingError::CannotCreate:
      return "cannot create file";
    case RecordingError::DiskFull:
      return "disk full";
    case RecordingError::WriteFailed:
      return "write failed";
    case RecordingError::BadFormat:
      return "unsupported audio format";
    case RecordingError::EncoderFailed:
      return "encoder failed";
    case RecordingError::TooLarge:
      return "file too large for WAV";
    case RecordingError::Closed:
      return "recording closed";
    case RecordingError::NotFound:
      return "file not found";
    case RecordingError::NotWav:
      return "not a WAV file";
    case RecordingError::Unsupported:
      return "unsupported WAV layout";
  }
  return "unknown";
}

std::string RecordingFailure::describe() const {
  std::string text(recording_error_name(error));
  if (system_errno != 0) {
    text += ": ";
    text += std::strerror(system_errno);
  }
  if (!detail.empty()) {
    text += " (";
    text += detail;
    text += ")";
  }
  return text;
}

RecordingFailure failure_from_open_errno(int error_number) {
  switch (error_number) {
    case EEXIST:
      return {RecordingError::AlreadyExists, error_number, {}};
    case ENOENT:
    case ENOTDIR:
      return {RecordingError::DirectoryMissing, error_number, {}};
    case EACCES:
    case EPERM:
    case EROFS:
      return {RecordingError::PermissionDenied, error_number, {}};
    case ENOSPC:
    case EDQUOT:
      return {RecordingError::DiskFull, error_number, {}};
    default:
      return {RecordingError::CannotCreate, error_number, {}};
  }
}

RecordingFailure failure_from_write_errno(int error_number) {
  if (error_number == ENOSPC || error_number == EDQUOT) {
    return {RecordingError::DiskFull, error_number, {}};
  }
  if (error_number == EFBIG) return {RecordingError::TooLarge, error_number, {}};
  return {RecordingError::WriteFailed, error_number, {}};
}

}  // namespace kolokol::media
