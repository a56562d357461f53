#pragma once

#include <array>
#include <cstdint>

namespace kolokol::rtpload {

// 20 ms of a sine wave (160 samples at 8 kHz) encoded as G.711, so the streams carry audio a
// relay or a recorder can check, not silence. The frequency must divide 8000/160 = 50 Hz
// evenly so that frame after frame joins without a click.
inline constexpr int kSamplesPerFrame = 160;
using G711Frame = std::array<std::uint8_t, kSamplesPerFrame>;

std::uint8_t linear_to_ulaw(std::int16_t sample);
std::uint8_t linear_to_alaw(std::int16_t sample);

// payload_type 0 (PCMU) or 8 (PCMA); anything else gets PCMU.
G711Frame g711_sine_frame(int payload_type, int frequency_hz, double amplitude);

}  // namespace kolokol::rtpload
