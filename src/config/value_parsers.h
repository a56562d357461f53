#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/expected.h"

namespace kolokol::config {

// Parsers for the scalar kinds a config file holds. Each returns the value or a reason meant to
// be shown after "invalid value for 'KEY' in FILE line N: ".

// "250ms", "30s", "5m", "1h": one non-negative integer and a unit; a bare number is refused so a
// reader never has to guess the unit.
base::Expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text);
std::string format_duration(std::chrono::milliseconds value);

// "1048576", "512KiB", "1MiB", "2GiB" (binary units).
base::Expected<std::uint64_t, std::string> parse_size(std::string_view text);
std::string format_size(std::uint64_t bytes);

// A decimal integer in [min, max].
base::Expected<std::int64_t, std::string> parse_integer(std::string_view text, std::int64_t min,
                                                        std::int64_t max);

base::Expected<std::uint16_t, std::string> parse_port(std::string_view text);

// A numeric IPv4 or IPv6 address; IPv6 may be written in brackets ("[::]"). Returns it without
// brackets. Host names are refused: a listener binds an address, not a name.
base::Expected<std::string, std::string> parse_ip_address(std::string_view text);

// A DNS name or an IP literal, returned lower-cased (domains compare case-insensitively).
base::Expected<std::string, std::string> parse_host(std::string_view text);

bool is_ipv6_literal(std::string_view address);

}  // namespace kolokol::config
