#include "g711_tone.h"

#include <cmath>
#include <numbers>

namespace kolokol::rtpload {

// ITU-T G.711: the magnitude is split into a 3-bit segment (position of the leading one) and
// a 4-bit mantissa below it; both laws invert some bits on the wire.
std::uint8_t linear_to_ulaw(std::int16_t sample) {
  constexpr int kBias = 0x84;
  constexpr int kClip = 32635;
  int value = sample;
  const int sign = value < 0 ? 0x80 : 0;
  // The 14-bit reference encoder shifts before taking the magnitude, so negative samples round
  // away from zero.
  if (value < 0) value = -(value >> 2) * 4;
  if (value > kClip) value = kClip;
  value += kBias;
  int segment = 7;
  for (int mask = 0x4000; (value & mask) == 0 && segment > 0; mask >>= 1) --segment;
  const int mantissa = (value >> (segment + 3)) & 0x0F;
  return static_cast<std::uint8_t>(~(sign | (segment << 4) | mantissa));
}

std::uint8_t linear_to_alaw(std::int16_t sample) {
  int value = sample >> 3;  // A-law works on 13 bits
  int invert = 0xD5;        // positive: sign bit set, even bits inverted
  if (value < 0) {
    invert = 0x55;
    value = -value - 1;
  }
  int segment = 0;
  while (segment < 8 && value > (0x20 << segment) - 1) ++segment;
  if (segment >= 8) return static_cast<std::uint8_t>(0x7F ^ invert);
  int code = segment << 4;
  code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
  return static_cast<std::uint8_t>(code ^ invert);
}

G711Frame g711_sine_frame(int payload_type, int frequency_hz, double amplitude) {
  G711Frame frame{};
  for (int i = 0; i < kSamplesPerFrame; ++i) {
    const double phase = 2.0 * std::numbers::pi * frequency_hz * i / 8000.0;
    const auto sample =
        static_cast<std::int16_t>(std::lround(amplitude * 32767.0 * std::sin(phase)));
    frame[i] = payload_type == 8 ? linear_to_alaw(sample) : linear_to_ulaw(sample);
  }
  return frame;
}

}  // namespace kolokol::rtpload
