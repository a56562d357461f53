#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/msg/message.h"

namespace kolokol::sip {

// RFC 4028 session timers: header values and the negotiation rules, without timers.
enum class Refresher : std::uint8_t { Uac, Uas };  // relative to the transaction carrying it

struct SessionExpires {
  std::uint32_t interval = 0;  // delta-seconds
  std::optional<Refresher> refresher;
  std::string to_string() const;
};

inline constexpr std::uint32_t kMinSessionExpires = 90;  // RFC 4028 4: Min-SE floor

std::optional<SessionExpires> parse_session_expires(std::string_view text);
std::optional<SessionExpires> session_expires_of(const Message& message);
std::optional<std::uint32_t> min_se_of(const Message& message);

// Option tags in Supported / Require (case-insensitive token match).
bool has_option_tag(const Message& message, HeaderId header, std::string_view tag);

// What a UAS puts into its 2xx for a request with these headers (RFC 4028 9); nothing when no
// session timer applies (neither side asked for one). Assumes Session-Expires >= Min-SE was
// checked (reject with 422 otherwise).
struct SessionTimerAnswer {
  SessionExpires expires;  // refresher always set
  bool require_timer;      // the UAC supports timer: Require: timer in the 2xx
};
std::optional<SessionTimerAnswer> answer_session_timer(const Message& request,
                                                       std::optional<std::uint32_t> local_interval,
                                                       std::uint32_t local_min_se);

// The BYE deadline for the side that does not refresh (RFC 4028 10): interval minus
// min(32, interval/3) seconds.
std::uint32_t session_expiry_guard(std::uint32_t interval);

}  // namespace kolokol::sip
