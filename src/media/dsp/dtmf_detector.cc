#include "media/dsp/dtmf_detector.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <new>
#include <optional>

extern "C" {
#include <spandsp.h>
}

namespace kolokol::media {
namespace {

// dtmf_rx() works in blocks of this many samples (DTMF_SAMPLES_PER_BLOCK in spandsp's dtmf.c,
// not exported). Feeding it so that every call ends on a block boundary tells us exactly which
// sample its callback is reporting from.
constexpr std::uint64_t kBlock = 102;
// spandsp confirms a tone, and its end, once two consecutive blocks agree, so each change is
// reported two to three blocks late. These are the average delays, measured on clean tones, used
// when the edge cannot be found in the audio itself.
constexpr std::uint64_t kStartDelay = 5 * kBlock / 2;
constexpr std::uint64_t kEndDelay = 190;
// The audio kept to place edges more precisely than spandsp's blocks: enough to reach back
// past the confirmation delay. It is examined in windows every 1 ms, each 5 ms long so that it
// spans a whole beat of the two DTMF frequencies (the slowest, 941 + 1209 Hz, beats at 268 Hz).
constexpr std::size_t kHistory = 4 * kBlock;
constexpr std::size_t kStep = 8;
constexpr std::size_t kWindow = 40;
constexpr std::size_t kWindows = (kHistory - kWindow) / kStep + 1;

struct RxDeleter {
  void operator()(dtmf_rx_state_t* rx) const { dtmf_rx_free(rx); }
};

void ignore_digits(void*, const char*, int) {}

// The first dtmf_rx_init() fills spandsp's static filter tables without a lock; do it once
// before any detector can run on another thread.
void init_spandsp_tables_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    dtmf_rx_state_t* rx = dtmf_rx_init(nullptr, ignore_digits, nullptr);
    if (rx != nullptr) dtmf_rx_free(rx);
  });
}

std::int64_t to_ms(std::uint64_t samples) {
  return static_cast<std::int64_t>(samples * 1000 / DtmfDetector::kSampleRate);
}

}  // namespace

struct DtmfDetector::State {
  std::unique_ptr<dtmf_rx_state_t, RxDeleter> rx;
  std::uint64_t fed = 0;  // samples given to dtmf_rx
  std::vector<DigitNotice>* out = nullptr;
  char digit = 0;  // the digit sounding, 0 if none
  std::uint64_t digit_start = 0;
  double tone_energy = 0;  // per window, measured when the digit was confirmed
  std::array<std::int16_t, kHistory> history{};  // ring; the newest sample is at fed - 1
  std::array<double, kWindows> energies{};

  void remember(std::span<const std::int16_t> pcm) {
    for (std::int16_t sample : pcm) history[(fed++) % kHistory] = sample;
  }

  // Energy of each window of the history, oldest first; window w starts at
  // fed - kHistory + w * kStep. An edge inside a window at half the tone's energy is at its middle.
  void measure_windows() {
    for (std::size_t w = 0; w < kWindows; ++w) {
      double sum = 0;
      for (std::size_t i = 0; i < kWindow; ++i) {
        const std::int16_t sample = history[(fed + w * kStep + i) % kHistory];
        sum += static_cast<double>(sample) * sample;
      }
      energies[w] = sum;
    }
  }

  std::uint64_t window_middle(std::size_t w) const {
    return fed - kHistory + w * kStep + kWindow / 2;
  }

  // The tone started where the energy, walking back from the confirmed tone, falls under half;
  // without such a fall in the history, the average delay is assumed.
  std::uint64_t find_start() {
    const std::uint64_t fallback = fed > kStartDelay ? fed - kStartDelay : 0;
    if (fed < kHistory) return fallback;
    measure_windows();
    tone_energy = energies[kWindows - 1];  // the newest 5 ms are confirmed tone
    for (std::size_t w = kWindows; w-- > 0;) {
      if (energies[w] < tone_energy / 2) return window_middle(w);
    }
    return fallback;
  }

  // The tone ended at the first window, walking forward from the oldest audio kept (still
  // tone), whose energy falls under half the tone's.
  std::uint64_t find_end() {
    const std::uint64_t fallback = std::max(fed > kEndDelay ? fed - kEndDelay : 0, digit_start);
    if (fed < kHistory || digit_start > fed - kHistory) return fallback;
    measure_windows();
    if (energies[0] < tone_energy / 2) return fallback;  // the history does not reach the tone
    for (std::size_t w = 1; w < kWindows; ++w) {
      if (energies[w] < tone_energy / 2) return window_middle(w);
    }
    return fallback;  // something as loud followed: another digit, or speech
  }

  void report(int code) {
    if (digit != 0 && code != digit) {
      const std::uint64_t end = find_end();
      const auto duration = static_cast<std::uint32_t>(to_ms(end - digit_start));
      out->push_back({DigitPhase::Ended,
                      DigitEvent{digit, to_ms(digit_start), duration, DigitSource::Inband}});
      digit = 0;
    }
    if (code == 0 || code == digit) return;
    const auto normalized = normalize_digit(static_cast<char>(code));
    if (!normalized) return;
    digit = *normalized;
    digit_start = find_start();
    out->push_back(
        {DigitPhase::Began, DigitEvent{digit, to_ms(digit_start), 0, DigitSource::Inband}});
  }

  static void on_tone(void* user_data, int code, int /*level*/, int /*delay*/) {
    static_cast<State*>(user_data)->report(code);
  }
};

DtmfDetector::DtmfDetector() : state_(std::make_unique<State>()) {
  init_spandsp_tables_once();
  state_->rx.reset(dtmf_rx_init(nullptr, ignore_digits, nullptr));
  if (!state_->rx) throw std::bad_alloc();
  dtmf_rx_set_realtime_callback(state_->rx.get(), &State::on_tone, state_.get());
}

DtmfDetector::~DtmfDetector() = default;
DtmfDetector::DtmfDetector(DtmfDetector&&) noexcept = default;
DtmfDetector& DtmfDetector::operator=(DtmfDetector&&) noexcept = default;

std::uint64_t DtmfDetector::position() const {
  return state_->fed;
}

std::size_t DtmfDetector::process(std::span<const std::int16_t> pcm,
                                  std::vector<DigitNotice>& out) {
  const std::size_t before = out.size();
  state_->out = &out;
  while (!pcm.empty()) {
    const std::uint64_t to_boundary = kBlock - state_->fed % kBlock;
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(to_boundary, pcm.size()));
    // The callback runs inside dtmf_rx() when a block completes, i.e. at `fed` after this call.
    state_->remember(pcm.first(n));
    dtmf_rx(state_->rx.get(), pcm.data(), static_cast<int>(n));
    pcm = pcm.subspan(n);
  }
  state_->out = nullptr;
  return out.size() - before;
}

}  // namespace kolokol::media
