#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "media/dsp/digit_event.h"

namespace kolokol::media {

// Finds DTMF digits in 8 kHz 16-bit audio (spandsp's dtmf_rx, which meets Q.24 and resists
// talk-off) and reports them as Began/Ended notices like every other digit source. Feed it any
// chunk sizes; times are stream time, counted from the first sample fed. Audio at other rates
// must be resampled first.
//
// spandsp decides in blocks of 102 samples (12.75 ms) and confirms a change over two blocks, so
// the measured start and duration are good to about one block.
class DtmfDetector {
 public:
  static constexpr int kSampleRate = 8000;

  // Throws std::bad_alloc if spandsp cannot allocate its state, like any container would.
  DtmfDetector();
  ~DtmfDetector();
  DtmfDetector(DtmfDetector&&) noexcept;
  DtmfDetector& operator=(DtmfDetector&&) noexcept;

  // Appends the notices found in `pcm` to `out`; returns how many.
  std::size_t process(std::span<const std::int16_t> pcm, std::vector<DigitNotice>& out);

  // Samples fed so far.
  std::uint64_t position() const;

 private:
  struct State;  // on the heap: spandsp keeps a pointer to it for its callback
  std::unique_ptr<State> state_;
};

}  // namespace kolokol::media
