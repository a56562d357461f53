#include "audio_measure.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace kolokol::media::testing {

Pcm sine(std::uint32_t rate, double frequency, std::size_t samples, double amplitude) {
  Pcm pcm(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    pcm[i] = static_cast<std::int16_t>(
        std::lround(amplitude * std::sin(2 * std::numbers::pi * frequency * i / rate)));
  }
  return pcm;
}

double tone_power(std::span<const std::int16_t> pcm, std::uint32_t rate, double frequency) {
  const double coefficient = 2 * std::cos(2 * std::numbers::pi * frequency / rate);
  double previous = 0;
  double before_previous = 0;
  for (std::int16_t sample : pcm) {
    const double current = sample + coefficient * previous - before_previous;
    before_previous = previous;
    previous = current;
  }
  const double power = previous * previous + before_previous * before_previous -
                       coefficient * previous * before_previous;
  return pcm.empty() ? 0 : power / (static_cast<double>(pcm.size()) * pcm.size());
}

double dominant_frequency(std::span<const std::int16_t> pcm, std::uint32_t rate, double lo,
                          double hi, double step) {
  double best = lo;
  double best_power = -1;
  for (double frequency = lo; frequency <= hi; frequency += step) {
    const double power = tone_power(pcm, rate, frequency);
    if (power > best_power) {
      best_power = power;
      best = frequency;
    }
  }
  return best;
}

double rms(std::span<const std::int16_t> pcm) {
  double sum = 0;
  for (std::int16_t sample : pcm) sum += static_cast<double>(sample) * sample;
  return pcm.empty() ? 0 : std::sqrt(sum / static_cast<double>(pcm.size()));
}

double aligned_snr_db(std::span<const std::int16_t> reference,
                      std::span<const std::int16_t> decoded, std::size_t max_delay,
                      std::size_t skip) {
  const std::size_t length = std::min(reference.size(), decoded.size());
  if (length <= skip + max_delay) return -100;
  double best = -100;
  for (std::size_t delay = 0; delay <= max_delay; ++delay) {
    double signal = 0;
    double noise = 0;
    for (std::size_t i = skip; i + delay < length; ++i) {
      const double wanted = reference[i];
      const double error = wanted - decoded[i + delay];
      signal += wanted * wanted;
      noise += error * error;
    }
    const double snr = noise == 0 ? 200 : 10 * std::log10(signal / noise);
    best = std::max(best, snr);
  }
  return best;
}

RoundTrip round_trip(AudioEncoder& encoder, AudioDecoder& decoder,
                     std::span<const std::int16_t> pcm, std::size_t packet_samples) {
  RoundTrip result;
  std::vector<std::uint8_t> payload(4000);
  Pcm packet_out(decoder.sample_rate() / 1000 * 120);
  for (std::size_t offset = 0; offset + packet_samples <= pcm.size(); offset += packet_samples) {
    auto size = encoder.encode(pcm.subspan(offset, packet_samples), payload);
    if (!size) {
      ADD_FAILURE() << "encode: " << codec_error_name(size.error());
      return result;
    }
    result.payload_sizes.push_back(*size);
    auto samples = decoder.decode(std::span(payload).first(*size), packet_out);
    if (!samples) {
      ADD_FAILURE() << "decode: " << codec_error_name(samples.error());
      return result;
    }
    result.decoded.insert(result.decoded.end(), packet_out.begin(),
                          packet_out.begin() + static_cast<std::ptrdiff_t>(*samples));
  }
  return result;
}

}  // namespace kolokol::media::testing
