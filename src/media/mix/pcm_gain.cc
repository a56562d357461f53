#include "media/mix/pcm_gain.h"

#include <cmath>

namespace kolokol::media {

std::optional<std::int32_t> gain_q12_from_db(double gain_db) {
  // Written so that NaN fails both comparisons and is refused.
  if (!(gain_db >= kMinGainDb && gain_db <= kMaxGainDb)) return std::nullopt;
  return static_cast<std::int32_t>(std::lround(kUnityGainQ12 * std::pow(10.0, gain_db / 20.0)));
}

}  // namespace kolokol::media
