#include "sip/msg/cseq.h"

#include "sip/msg/scan.h"

namespace kolokol::sip {

base::Expected<CSeq, ParseError> parse_cseq(std::string_view text) {
  text = detail::trim(text);
  std::size_t i = 0;
  while (i < text.size() && detail::is_digit(text[i])) ++i;
  // RFC 3261 8.1.1.5: the sequence number must be less than 2**31.
  const auto number = detail::parse_decimal(text.substr(0, i), (1ULL << 31) - 1);
  if (!number) return base::unexpected(ParseError{400, "bad CSeq number"});
  const std::string_view method = detail::trim_left(text.substr(i));
  if (method.size() == text.size() - i || !detail::is_token(method)) {
    return base::unexpected(ParseError{400, "bad CSeq method"});
  }
  CSeq out;
  out.number = static_cast<std::uint32_t>(*number);
  out.method_text = std::string(method);
  out.method = method_from_name(method);
  return out;
}

std::string CSeq::to_string() const {
  std::string out = std::to_string(number);
  out += ' ';
  out += method_text.empty() ? std::string(method_name(method)) : method_text;
  return out;
}

}  // namespace kolokol::sip
