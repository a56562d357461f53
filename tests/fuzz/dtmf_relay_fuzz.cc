// libFuzzer target for the SIP INFO digit bodies (application/dtmf-relay and application/dtmf):
// the parsers must never crash or read past the body, what they accept is a canonical digit,
// and what the formatters write from it must parse back to the same value.
// Build and run: scripts/fuzz.sh 60 dtmf_relay_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "media/dsp/digit_event.h"
#include "media/dsp/dtmf_relay.h"

namespace {

using namespace kolokol::media;

void require(bool condition) {
  if (!condition) std::abort();
}

bool canonical_digit(char digit) {
  return normalize_digit(digit) == digit;
}

void check_relay(std::string_view body) {
  auto relay = parse_dtmf_relay(body);
  if (!relay) {
    require((relay.error() == DtmfRelayError::TooLong) == (body.size() > kMaxDtmfBodySize));
    (void)dtmf_relay_error_name(relay.error());
    return;
  }
  require(body.size() <= kMaxDtmfBodySize);
  require(canonical_digit(relay->signal));
  require(!relay->duration_ms || *relay->duration_ms <= kMaxDtmfRelayDurationMs);
  const std::string formatted = format_dtmf_relay(*relay);
  auto again = parse_dtmf_relay(formatted);
  require(again.has_value() && *again == *relay);
  // The formatted body is also what a dtmf-relay sender would put on the wire: CRLF lines.
  require(formatted.ends_with("\r\n"));
}

void check_body(std::string_view body) {
  auto digit = parse_dtmf_body(body);
  if (!digit) {
    require((digit.error() == DtmfRelayError::TooLong) == (body.size() > kMaxDtmfBodySize));
    return;
  }
  require(canonical_digit(*digit));
  auto again = parse_dtmf_body(format_dtmf_body(*digit));
  require(again.has_value() && *again == *digit);
  // A digit that is a body on its own is also a dtmf-relay Signal.
  auto relay = parse_dtmf_relay("Signal=" + format_dtmf_body(*digit));
  require(relay.has_value() && relay->signal == *digit && !relay->duration_ms);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  check_relay(body);
  check_body(body);
  return 0;
}
