#pragma once

#include <string_view>

namespace kolokol::base {

// ASCII-only case folding: protocol tokens (SIP, SDP, HTTP) are case-insensitive in ASCII only,
// and the C locale functions would depend on the process locale.
constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace kolokol::base
