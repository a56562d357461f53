#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "sip/msg/method.h"
#include "sip/msg/parse_error.h"

namespace kolokol::sip {

struct CSeq {
  std::uint32_t number = 0;  // RFC 3261 8.1.1.5: less than 2**31; larger values are a parse error
  Method method = Method::Other;
  std::string method_text;  // as written, kept for unknown methods
  std::string to_string() const;
};

base::Expected<CSeq, ParseError> parse_cseq(std::string_view text);

}  // namespace kolokol::sip
