#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"

namespace kolokol::media {

// The bodies of SIP INFO requests that carry digits, as text: no SIP here, the caller picks the
// parser by Content-Type.
//
// application/dtmf-relay (the de facto Cisco format):
//   Signal=5
//   Duration=160
struct DtmfRelay {
  char signal = 0;                           // canonical digit ('0'-'9' '*' '#' 'A'-'D' 'F')
  std::optional<std::uint32_t> duration_ms;  // absent: the sender did not say

  friend bool operator==(const DtmfRelay&, const DtmfRelay&) = default;
};

enum class DtmfRelayError : std::uint8_t {
  TooLong,  // over kMaxBodySize: not a digit
  MissingSignal,
  BadSignal,    // not a digit, or given twice
  BadDuration,  // not a number, over kMaxDurationMs, or given twice
};
std::string_view dtmf_relay_error_name(DtmfRelayError error);

inline constexpr std::size_t kMaxDtmfBodySize = 1024;
inline constexpr std::uint32_t kMaxDtmfRelayDurationMs = 60'000;

// Tolerant of what phones really send: LF or CRLF, spaces around '=' and the value, any case in
// the key names and in A-D, and unknown lines (ignored). The signal may also be the RFC 4733
// event number (10 for '*', 16 for flash) or '!' for flash.
base::Expected<DtmfRelay, DtmfRelayError> parse_dtmf_relay(std::string_view body);
// "Signal=5\r\nDuration=160\r\n" (Duration only when known).
std::string format_dtmf_relay(const DtmfRelay& relay);

// application/dtmf: the body is the digit itself (or its event number), blanks around it allowed.
base::Expected<char, DtmfRelayError> parse_dtmf_body(std::string_view body);
std::string format_dtmf_body(char digit);

}  // namespace kolokol::media
