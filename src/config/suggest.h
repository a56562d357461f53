#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kolokol::config {

// The candidate closest to a mistyped key, or "" when none is close enough to be a plausible
// typo. A candidate whose last component equals the key's is also offered, so a key written at
// the wrong level ("tcp_idle_timeout" at the top) points to where it belongs.
std::string closest_key(std::string_view key, const std::vector<std::string>& candidates);

std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace kolokol::config
