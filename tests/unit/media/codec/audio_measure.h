#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "media/codec/audio_codec.h"

// Signal generation and measurement for the codec tests: a codec passes when what comes out
// still sounds like what went in, not when the calls merely return OK.
namespace kolokol::media::testing {

using Pcm = std::vector<std::int16_t>;

Pcm sine(std::uint32_t rate, double frequency, std::size_t samples, double amplitude = 10000);

// Power of one frequency (Goertzel), normalised by the length.
double tone_power(std::span<const std::int16_t> pcm, std::uint32_t rate, double frequency);
// The strongest of the frequencies lo, lo+step, ..., hi.
double dominant_frequency(std::span<const std::int16_t> pcm, std::uint32_t rate, double lo,
                          double hi, double step);
double rms(std::span<const std::int16_t> pcm);

// Signal-to-noise ratio of `decoded` against `reference`, after shifting `decoded` by the codec
// delay (0..max_delay samples) that suits it best. The first `skip` samples (start-up) are not
// counted.
double aligned_snr_db(std::span<const std::int16_t> reference,
                      std::span<const std::int16_t> decoded, std::size_t max_delay,
                      std::size_t skip);

struct RoundTrip {
  Pcm decoded;
  std::vector<std::size_t> payload_sizes;
};
// Encodes `pcm` in packets of `packet_samples` and decodes each; a failing call fails the test.
RoundTrip round_trip(AudioEncoder& encoder, AudioDecoder& decoder,
                     std::span<const std::int16_t> pcm, std::size_t packet_samples);

}  // namespace kolokol::media::testing
