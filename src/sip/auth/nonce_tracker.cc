#include "sip/auth/nonce_tracker.h"

#include <algorithm>

namespace kolokol::sip {

NonceTracker::NonceTracker(std::size_t capacity) : slots_(std::max<std::size_t>(capacity, 1)) {}

NonceTracker::Result NonceTracker::use(std::uint64_t serial, std::uint32_t nc) {
  Slot& slot = slots_[serial % slots_.size()];
  if (slot.serial == serial) {
    if (nc <= slot.highest_nc) return Result::Replay;
    slot.highest_nc = nc;
    return Result::Accepted;
  }
  if (slot.serial > serial) return Result::Forgotten;  // a newer nonce has the slot
  if (slot.serial == 0) ++in_use_;
  slot = Slot{serial, nc};
  return Result::Accepted;
}

}  // namespace kolokol::sip
