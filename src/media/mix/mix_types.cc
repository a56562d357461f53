#include "media/mix/mix_types.h"

namespace kolokol::media {

std::string_view mix_error_name(MixError error) {
  switch (error) {
    case MixError::BadConfig:
      return "bad mixer configuration";
    case MixError::UnknownParticipant:
      return "unknown participant";
    case MixError::DuplicateParticipant:
      return "participant already present";
    case MixError::TooManyParticipants:
      return "too many participants";
    case MixError::WrongFrameSize:
      return "wrong frame size";
    case MixError::BadGain:
      return "gain out of range";
    case MixError::TooManyAudibilitySets:
      return "too many distinct whisper target sets";
  }
  return "unknown";
}

}  // namespace kolokol::media
