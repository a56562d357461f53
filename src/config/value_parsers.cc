#include "config/value_parsers.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

namespace kolokol::config {
namespace {

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

// Splits "30s" into 30 and "s"; false when there are no leading digits or they overflow.
bool split_number(std::string_view text, std::uint64_t& number, std::string_view& unit) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data()) return false;
  unit = text.substr(static_cast<std::size_t>(end - text.data()));
  return true;
}

struct Unit {
  std::string_view suffix;
  std::uint64_t factor;
};

}  // namespace

base::Expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text) {
  static constexpr std::array<Unit, 4> kUnits{
      {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}}};
  std::uint64_t number = 0;
  std::string_view unit;
  if (!split_number(text, number, unit)) {
    return base::unexpected("expected a duration such as 500ms, 30s, 5m or 1h, got " +
                            quoted(text));
  }
  if (unit.empty()) {
    return base::unexpected("a duration needs a unit (ms, s, m or h), got " + quoted(text));
  }
  for (const auto& u : kUnits) {
    if (unit != u.suffix) continue;
    if (number > std::numeric_limits<std::int64_t>::max() / u.factor / 1000) {
      return base::unexpected("duration " + quoted(text) + " is too large");
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(number * u.factor));
  }
  return base::unexpected("unknown duration unit " + quoted(unit) + " in " + quoted(text) +
                          " (use ms, s, m or h)");
}

std::string format_duration(std::chrono::milliseconds value) {
  const auto ms = value.count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

base::Expected<std::chrono::seconds, std::string> parse_seconds(std::string_view text) {
  auto value = parse_duration(text);
  if (!value) return base::unexpected(value.error());
  if (value->count() % 1000 != 0) {
    return base::unexpected("must be a whole number of seconds, got " + quoted(text));
  }
  return std::chrono::duration_cast<std::chrono::seconds>(*value);
}

base::Expected<std::uint64_t, std::string> parse_size(std::string_view text) {
  static constexpr std::array<Unit, 5> kUnits{
      {{"", 1}, {"B", 1}, {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30}}};
  std::uint64_t number = 0;
  std::string_view unit;
  if (!split_number(text, number, unit)) {
    return base::unexpected("expected a size such as 65536, 64KiB or 1MiB, got " + quoted(text));
  }
  for (const auto& u : kUnits) {
    if (unit != u.suffix) continue;
    if (number > std::numeric_limits<std::uint64_t>::max() / u.factor) {
      return base::unexpected("size " + quoted(text) + " is too large");
    }
    return number * u.factor;
  }
  return base::unexpected("unknown size unit " + quoted(unit) + " in " + quoted(text) +
                          " (use B, KiB, MiB or GiB)");
}

std::string format_size(std::uint64_t bytes) {
  if (bytes != 0 && bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "GiB";
  if (bytes != 0 && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "MiB";
  if (bytes != 0 && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "KiB";
  return std::to_string(bytes);
}

base::Expected<std::int64_t, std::string> parse_integer(std::string_view text, std::int64_t min,
                                                        std::int64_t max) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    return base::unexpected("must be between " + std::to_string(min) + " and " +
                            std::to_string(max) + ", got " + quoted(text));
  }
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return base::unexpected("expected an integer, got " + quoted(text));
  }
  if (value < min || value > max) {
    return base::unexpected("must be between " + std::to_string(min) + " and " +
                            std::to_string(max) + ", got " + quoted(text));
  }
  return value;
}

base::Expected<std::uint16_t, std::string> parse_port(std::string_view text) {
  auto value = parse_integer(text, 1, 65535);
  if (!value) return base::unexpected("port " + value.error());
  return static_cast<std::uint16_t>(*value);
}

bool is_ipv6_literal(std::string_view address) {
  in6_addr v6{};
  return inet_pton(AF_INET6, std::string(address).c_str(), &v6) == 1;
}

base::Expected<std::string, std::string> parse_ip_address(std::string_view text) {
  std::string_view bare = text;
  const bool bracketed = bare.size() >= 2 && bare.front() == '[' && bare.back() == ']';
  if (bracketed) bare = bare.substr(1, bare.size() - 2);
  const std::string candidate(bare);
  in_addr v4{};
  if (!bracketed && inet_pton(AF_INET, candidate.c_str(), &v4) == 1) return candidate;
  if (is_ipv6_literal(candidate)) return candidate;
  return base::unexpected("expected an IPv4 or IPv6 address such as 0.0.0.0 or ::, got " +
                          quoted(text));
}

base::Expected<std::string, std::string> parse_host(std::string_view text) {
  if (auto ip = parse_ip_address(text)) return *ip;
  // RFC 1123 host name: labels of letters, digits and '-', each 1-63 long, at most 253 in all.
  auto invalid = [&] {
    return base::unexpected("expected a host name or an IP address, got " + quoted(text));
  };
  if (text.empty() || text.size() > 253) return invalid();
  std::size_t label = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (label == 0) return invalid();
      label = 0;
      continue;
    }
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-';
    if (!ok || ++label > 63) return invalid();
  }
  if (label == 0) return invalid();  // a trailing dot or an empty name
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

base::Expected<bool, std::string> parse_bool(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return base::unexpected("expected true or false, got " + quoted(text));
}

base::Expected<std::string, std::string> parse_text(std::string_view text, std::size_t max_length) {
  if (text.size() > max_length) {
    return base::unexpected("longer than " + std::to_string(max_length) + " characters");
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return base::unexpected("contains a control character");
  }
  return std::string(text);
}

base::Expected<std::string, std::string> parse_database_url(std::string_view text) {
  static constexpr std::string_view kScheme = "sqlite:";
  static constexpr std::string_view kExample = "sqlite:/var/lib/kolokol/kolokol.db";
  if (text.empty()) return std::string();
  // The scheme: letters, digits, '+', '-', '.' before the first ':' (RFC 3986 3.1).
  const auto colon = text.find(':');
  std::string scheme;
  if (colon != std::string_view::npos && colon > 0 &&
      std::isalpha(static_cast<unsigned char>(text[0]))) {
    scheme = std::string(text.substr(0, colon));
    const bool plain = std::all_of(scheme.begin(), scheme.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '+' || c == '-' || c == '.';
    });
    if (!plain) scheme.clear();
  }
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string kOnlySqlite =
      "only sqlite: URLs are supported until the PostgreSQL backend exists";
  if (scheme.empty()) {
    return base::unexpected(kOnlySqlite + "; write sqlite:<path>, e.g. " + std::string(kExample));
  }
  if (scheme + ":" != kScheme) {
    return base::unexpected(kOnlySqlite + ", got a '" + scheme + ":' URL");
  }
  const std::string_view path = text.substr(kScheme.size());
  if (path.empty()) {
    return base::unexpected("sqlite: needs a file path, e.g. " + std::string(kExample));
  }
  if (path.substr(0, 2) == "//") {
    // "sqlite://x" reads as a host "x" elsewhere; the daemon takes everything after the colon as
    // the path, so refuse the ambiguous form instead of guessing.
    return base::unexpected("write sqlite:<path> without '//', e.g. " + std::string(kExample) +
                            " or sqlite:relative/file.db");
  }
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return base::unexpected("the path contains a control character");
  }
  return std::string(kScheme) + std::string(path);
}

base::Expected<std::string, std::string> parse_tenant_name(std::string_view text) {
  const bool ok =
      !text.empty() && text.size() <= 63 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      });
  if (!ok) {
    return base::unexpected("expected 1 to 63 lower-case letters, digits and '-', got " +
                            quoted(text));
  }
  return std::string(text);
}

base::Expected<std::string, std::string> parse_extension_number(std::string_view text) {
  const bool ok =
      text.size() >= 2 && text.size() <= 15 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) return base::unexpected("expected 2 to 15 digits, got " + quoted(text));
  return std::string(text);
}

base::Expected<std::string, std::string> parse_sip_password(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return base::unexpected("contains a control character");
    if (c > 0x7f) {
      return base::unexpected(
          "contains a non-ASCII character (phones differ in how they encode those)");
    }
  }
  if (text.size() < 8 || text.size() > 128) {
    return base::unexpected("must be 8 to 128 characters long, got " + std::to_string(text.size()));
  }
  return std::string(text);
}

}  // namespace kolokol::config
