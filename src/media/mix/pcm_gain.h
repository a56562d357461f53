#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

namespace kolokol::media {

// Gains are applied in fixed point (Q12: 4096 is unity) so that a frame is scaled with integer
// multiplies only. The range keeps 32767 * gain inside 32 bits with room for the sum of many
// participants (see MixerConfig::max_participants).
inline constexpr double kMinGainDb = -60.0;
inline constexpr double kMaxGainDb = 24.0;
inline constexpr std::int32_t kUnityGainQ12 = 4096;

// The Q12 factor for a gain in dB, or nullopt when it is outside [kMinGainDb, kMaxGainDb].
std::optional<std::int32_t> gain_q12_from_db(double gain_db);

inline std::int16_t saturate_to_int16(std::int32_t value) {
  return static_cast<std::int16_t>(std::clamp<std::int32_t>(value, INT16_MIN, INT16_MAX));
}

}  // namespace kolokol::media
