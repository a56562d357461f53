#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "sip/msg/param.h"
#include "sip/msg/parse_error.h"

namespace kolokol::sip {

inline constexpr std::string_view kMagicCookie = "z9hG4bK";

struct Via {
  std::string protocol_name = "SIP";
  std::string protocol_version = "2.0";
  std::string transport = "UDP";  // upper-cased: UDP, TCP, TLS, SCTP, WS, WSS or any token
  std::string host;               // IPv6 keeps brackets
  std::optional<std::uint16_t> port;
  Params params;

  std::optional<std::string_view> branch() const { return param_value(params, "branch"); }
  std::optional<std::string_view> received() const { return param_value(params, "received"); }
  bool has_rport() const { return has_param(params, "rport"); }
  std::optional<std::uint16_t> rport() const;  // value of rport=N, empty when bare or absent
  std::optional<std::string_view> maddr() const { return param_value(params, "maddr"); }
  // RFC 3261 branch beginning with the magic cookie (a bare cookie counts, RFC 4475 3.2.1).
  bool rfc3261_branch() const;

  std::string to_string() const;
};

base::Expected<Via, ParseError> parse_via(std::string_view text);
// One header value may carry several Vias separated by commas.
base::Expected<std::vector<Via>, ParseError> parse_via_list(std::string_view text);

}  // namespace kolokol::sip
