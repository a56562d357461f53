#pragma once

#include <algorithm>

#include <cstdint>
#include <span>

// spandsp's headers need the C fixed-width types and telephony.h before them.
// clang-format off
#include <stdint.h>  // NOLINT(modernize-deprecated-headers)
#include <spandsp/telephony.h>
#include <spandsp/plc.h>
// clang-format on

namespace kolokol::media {

// Concealment for codecs without their own: spandsp's pitch-repeating concealer (in the manner
// of G.711 Appendix I, without its delay). It remembers the tail of what was decoded; a gap is
// filled by repeating the last pitch period, fading to silence after 50 ms of consecutive loss.
// The state is a plain struct held by value, so nothing is allocated.
class PitchConcealer {
 public:
  PitchConcealer() { plc_init(&state_); }
  PitchConcealer(const PitchConcealer&) = delete;
  PitchConcealer& operator=(const PitchConcealer&) = delete;

  // Call with every decoded packet. After a gap it blends the start of `pcm` with the synthetic
  // signal, so it may change `pcm` a little.
  void remember(std::span<std::int16_t> pcm) {
    plc_rx(&state_, pcm.data(), static_cast<int>(pcm.size()));
  }
  void fill(std::span<std::int16_t> out) {
    // spandsp 0.0.6 brings its history ring into order with an overlapping memcpy (undefined
    // behaviour, caught by ASan); do that rotation here, after which it has nothing to move.
    std::rotate(state_.history, state_.history + state_.buf_ptr, state_.history + PLC_HISTORY_LEN);
    state_.buf_ptr = 0;
    plc_fillin(&state_, out.data(), static_cast<int>(out.size()));
  }

 private:
  plc_state_t state_;
};

}  // namespace kolokol::media
