#include "media/dsp/tone_generator.h"

#include <algorithm>
#include <limits>

namespace kolokol::media {
namespace {

constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

}  // namespace

std::string_view tone_generator_error_name(ToneGeneratorError error) {
  switch (error) {
    case ToneGeneratorError::BadSampleRate:
      return "tone sample rate outside 8-96 kHz";
    case ToneGeneratorError::BadLevel:
      return "tone level outside -60..+3 dBm0";
    case ToneGeneratorError::BadTone:
      return "tone empty or above the Nyquist frequency";
  }
  return "unknown";
}

base::Expected<ToneGenerator, ToneGeneratorError> ToneGenerator::create(const Tone& tone,
                                                                        int sample_rate,
                                                                        double level_dbm0) {
  if (sample_rate < 8000 || sample_rate > 96'000) {
    return base::unexpected(ToneGeneratorError::BadSampleRate);
  }
  if (!(level_dbm0 >= -60.0 && level_dbm0 <= 3.0)) {
    return base::unexpected(ToneGeneratorError::BadLevel);
  }
  if (tone.segments().empty()) return base::unexpected(ToneGeneratorError::BadTone);
  for (const ToneSegment& segment : tone.segments()) {
    if (2 * std::max(segment.freq1_hz, segment.freq2_hz) >= sample_rate) {
      return base::unexpected(ToneGeneratorError::BadTone);
    }
  }
  return ToneGenerator(tone, sample_rate, dbm0_to_peak(level_dbm0));
}

ToneGenerator::ToneGenerator(const Tone& tone, int sample_rate, double peak)
    : tone_(tone), sample_rate_(sample_rate), peak_(peak), synth_(sample_rate) {
  for (const ToneSegment& segment : tone_.segments()) {
    if (segment.duration_ms == 0) {
      cycle_ms_ = 0;
      break;
    }
    cycle_ms_ += segment.duration_ms;
  }
  restart();
}

std::uint64_t ToneGenerator::boundary(std::uint64_t cycle, std::uint64_t ms_into_cycle) const {
  return (cycle * cycle_ms_ + ms_into_cycle) * static_cast<std::uint64_t>(sample_rate_) / 1000;
}

void ToneGenerator::restart() {
  synth_ = ToneSynth(sample_rate_);
  cycle_ = 0;
  position_ = 0;
  finished_ = false;
  segment_start_ms_ = 0;
  enter_segment(0);
}

void ToneGenerator::enter_segment(std::size_t index) {
  const auto segments = tone_.segments();
  segment_ = index;
  const ToneSegment& segment = segments[index];
  synth_.set(segment.freq1_hz, segment.freq2_hz, peak_);
  segment_end_ =
      segment.duration_ms == 0 ? kNever : boundary(cycle_, segment_start_ms_ + segment.duration_ms);
}

void ToneGenerator::generate(std::span<std::int16_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::uint64_t left = segment_end_ - position_;
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(left, out.size() - done));
    synth_.render(out.subspan(done, n));
    done += n;
    position_ += n;
    if (finished_ || position_ < segment_end_) continue;

    const auto segments = tone_.segments();
    segment_start_ms_ += segments[segment_].duration_ms;
    if (segment_ + 1 < segments.size()) {
      enter_segment(segment_ + 1);
    } else if (tone_.repeats()) {
      ++cycle_;
      segment_start_ms_ = 0;
      enter_segment(0);
    } else {
      finished_ = true;
      synth_.set(0, 0, peak_);
      segment_end_ = kNever;
    }
  }
}

}  // namespace kolokol::media
