#include "media/dsp/dtmf_generator.h"

#include <algorithm>
#include <limits>

#include "media/dsp/digit_event.h"

namespace kolokol::media {
namespace {

constexpr std::string_view kKeypad = "123A456B789C*0#D";
constexpr std::array<int, 4> kRows = {697, 770, 852, 941};
constexpr std::array<int, 4> kColumns = {1209, 1336, 1477, 1633};
constexpr std::uint32_t kMaxPhaseMs = 10'000;

}  // namespace

std::string_view dtmf_generator_error_name(DtmfGeneratorError error) {
  switch (error) {
    case DtmfGeneratorError::BadSampleRate:
      return "DTMF sample rate outside 8-96 kHz";
    case DtmfGeneratorError::BadTiming:
      return "DTMF on/off time zero or over 10 s";
    case DtmfGeneratorError::BadLevel:
      return "DTMF level outside -60..+3 dBm0";
    case DtmfGeneratorError::NotADigit:
      return "not a DTMF digit";
    case DtmfGeneratorError::QueueFull:
      return "too many DTMF digits queued";
  }
  return "unknown";
}

std::array<int, 2> DtmfGenerator::frequencies(char digit) {
  const auto normalized = normalize_digit(digit);
  const std::size_t at = normalized ? kKeypad.find(*normalized) : std::string_view::npos;
  if (at == std::string_view::npos) return {0, 0};
  return {kRows[at / 4], kColumns[at % 4]};
}

base::Expected<DtmfGenerator, DtmfGeneratorError> DtmfGenerator::create(
    const DtmfGeneratorConfig& config) {
  if (config.sample_rate < 8000 || config.sample_rate > 96'000) {
    return base::unexpected(DtmfGeneratorError::BadSampleRate);
  }
  if (config.on_ms == 0 || config.off_ms == 0 || config.on_ms > kMaxPhaseMs ||
      config.off_ms > kMaxPhaseMs) {
    return base::unexpected(DtmfGeneratorError::BadTiming);
  }
  const double high = config.level_dbm0 + config.twist_db;
  if (!(config.level_dbm0 >= -60.0 && config.level_dbm0 <= 3.0 && high >= -60.0 && high <= 3.0)) {
    return base::unexpected(DtmfGeneratorError::BadLevel);
  }
  return DtmfGenerator(config, dbm0_to_peak(config.level_dbm0), dbm0_to_peak(high));
}

DtmfGenerator::DtmfGenerator(const DtmfGeneratorConfig& config, double low_peak, double high_peak)
    : config_(config),
      low_peak_(low_peak),
      high_peak_(high_peak),
      low_(config.sample_rate),
      high_(config.sample_rate) {}

base::Expected<std::size_t, DtmfGeneratorError> DtmfGenerator::queue(std::string_view digits) {
  for (char digit : digits) {
    if (frequencies(digit)[0] == 0) return base::unexpected(DtmfGeneratorError::NotADigit);
  }
  if (digits.size() > kMaxQueued - count_) return base::unexpected(DtmfGeneratorError::QueueFull);
  const bool was_idle = idle();
  for (char digit : digits) {
    queue_[(head_ + count_) % kMaxQueued] = *normalize_digit(digit);
    ++count_;
  }
  if (was_idle && count_ > 0) start_digit();
  return count_;
}

void DtmfGenerator::start_digit() {
  const auto [row, column] = frequencies(queue_[head_]);
  low_.set(row, 0, low_peak_);
  high_.set(column, 0, high_peak_);
  in_pause_ = false;
  phase_left_ =
      std::uint64_t{config_.on_ms} * static_cast<std::uint64_t>(config_.sample_rate) / 1000;
}

std::size_t DtmfGenerator::generate(std::span<std::int16_t> out) {
  std::size_t done = 0;
  std::size_t signal = 0;
  std::array<std::int16_t, 160> high_part{};
  while (done < out.size()) {
    std::size_t n = std::min(out.size() - done, high_part.size());
    if (!idle()) n = static_cast<std::size_t>(std::min<std::uint64_t>(n, phase_left_));
    const auto chunk = out.subspan(done, n);
    low_.render(chunk);
    high_.render(std::span(high_part).first(n));
    for (std::size_t i = 0; i < n; ++i) {
      chunk[i] = static_cast<std::int16_t>(std::clamp(chunk[i] + high_part[i], -32768, 32767));
    }
    done += n;
    if (idle()) continue;
    signal += n;
    phase_left_ -= n;
    if (phase_left_ > 0) continue;
    if (!in_pause_) {
      low_.set(0, 0, low_peak_);
      high_.set(0, 0, high_peak_);
      in_pause_ = true;
      phase_left_ =
          std::uint64_t{config_.off_ms} * static_cast<std::uint64_t>(config_.sample_rate) / 1000;
      continue;
    }
    head_ = (head_ + 1) % kMaxQueued;
    --count_;
    if (!idle()) start_digit();
  }
  return signal;
}

}  // namespace kolokol::media
