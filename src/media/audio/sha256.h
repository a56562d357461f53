#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kolokol::media {

// SHA-256 (OpenSSL), for naming cache files after their content key.
std::array<std::uint8_t, 32> sha256(std::string_view data);
std::string sha256_hex(std::string_view data);

}  // namespace kolokol::media
