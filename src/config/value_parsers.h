#pragma once

#include <chrono>
#include <cstddef>
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

// A duration for a setting kept in whole seconds: parse_duration's forms, but "1500ms" is refused
// rather than silently rounded.
base::Expected<std::chrono::seconds, std::string> parse_seconds(std::string_view text);

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

// "true" or "false" (YAML 1.1 spellings such as yes/no/on are refused: they read as strings to
// other tools).
base::Expected<bool, std::string> parse_bool(std::string_view text);

// Free text of at most max_length bytes without control characters: values end up in log lines
// and SIP headers, where CR/LF would forge new lines.
base::Expected<std::string, std::string> parse_text(std::string_view text, std::size_t max_length);

// database.url: "" (the default SQLite file) or "sqlite:<path>", returned with the scheme
// lower-cased. The reason never repeats another scheme's URL: it may hold a password.
base::Expected<std::string, std::string> parse_database_url(std::string_view text);

// A tenant name: 1 to 63 of a-z, 0-9 and '-'.
base::Expected<std::string, std::string> parse_tenant_name(std::string_view text);

// An extension number (the dialled number and SIP user name): 2 to 15 digits.
base::Expected<std::string, std::string> parse_extension_number(std::string_view text);

// An extension's SIP password: 8 to 128 printable ASCII characters (phones differ in how they
// encode anything else, so the digest would not match). The reason never repeats the password.
base::Expected<std::string, std::string> parse_sip_password(std::string_view text);

}  // namespace kolokol::config
