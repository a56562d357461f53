#pragma once

#include <string_view>

namespace kolokol::server {

// The project version from CMake (project(kolokol VERSION ...)).
inline constexpr std::string_view kVersion = KOLOKOL_VERSION;

}  // namespace kolokol::server
