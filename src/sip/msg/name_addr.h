#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "sip/msg/param.h"
#include "sip/msg/parse_error.h"
#include "sip/msg/uri.h"

namespace kolokol::sip {

// The value of From, To, Contact, Route, Record-Route, Reply-To, Refer-To, P-Asserted-Identity:
// name-addr or addr-spec followed by header parameters (tag, expires, q, lr ...).
struct NameAddr {
  std::optional<std::string> display_name;  // unquoted and unescaped
  Uri uri;
  Params params;          // header parameters (after the URI), not URI parameters
  bool wildcard = false;  // "Contact: *"
  bool angle_brackets = true;

  std::optional<std::string_view> tag() const { return param_value(params, "tag"); }
  std::string to_string() const;  // always writes <uri> form unless wildcard
};

base::Expected<NameAddr, ParseError> parse_name_addr(std::string_view text);
// A comma-separated list (Contact, Route, Record-Route); commas inside quotes and <> are kept.
base::Expected<std::vector<NameAddr>, ParseError> parse_name_addr_list(std::string_view text);

}  // namespace kolokol::sip
