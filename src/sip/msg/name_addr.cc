#include "sip/msg/name_addr.h"

#include "sip/msg/scan.h"

namespace kolokol::sip {
namespace {

base::Unexpected<ParseError> error(const char* why) {
  return base::unexpected(ParseError{400, why});
}

// display-name = *(token LWS) / quoted-string; the unquoted form allows tokens and LWS only.
bool valid_token_display_name(std::string_view text) {
  for (char c : text) {
    if (!detail::is_token_char(c) && !detail::is_lws(c)) return false;
  }
  return true;
}

// addr-spec form: the URI ends at the first ';' or LWS; parameters after it belong to the
// header (RFC 3261 20.10), so a URI with ',', '?' or ';' must be written in <>.
base::Expected<NameAddr, ParseError> parse_addr_spec(std::string_view text) {
  std::size_t end = text.find_first_of("; \t\r\n");
  if (end == std::string_view::npos) end = text.size();
  const std::string_view uri_text = text.substr(0, end);
  if (uri_text.find_first_of(",?") != std::string_view::npos) {
    return error("URI with ',' or '?' must be enclosed in <>");
  }
  NameAddr out;
  if (const char* why = detail::parse_uri_into(uri_text, out.uri)) return error(why);
  out.angle_brackets = false;
  if (!detail::parse_header_params(text.substr(end), out.params)) {
    return error("bad header parameters");
  }
  return out;
}

}  // namespace

base::Expected<NameAddr, ParseError> parse_name_addr(std::string_view text) {
  text = detail::trim(text);
  if (text.empty()) return error("empty name-addr");
  NameAddr out;
  if (text == "*") {
    out.wildcard = true;
    out.angle_brackets = false;
    return out;
  }
  std::size_t lt = 0;
  if (text[0] == '"') {
    const std::size_t len = detail::quoted_string_length(text);
    if (len == std::string_view::npos) return error("unterminated quoted display name");
    out.display_name = detail::unquote(text.substr(0, len));
    lt = len;
    while (lt < text.size() && detail::is_lws(text[lt])) ++lt;
    if (lt == text.size() || text[lt] != '<') return error("quoted display name without <URI>");
  } else {
    lt = text.find('<');
    if (lt == std::string_view::npos) return parse_addr_spec(text);
    const std::string_view display = detail::trim(text.substr(0, lt));
    if (!valid_token_display_name(display)) return error("display name needs quotes");
    if (!display.empty()) out.display_name = std::string(display);
  }
  const std::size_t gt = text.find('>', lt);
  if (gt == std::string_view::npos) return error("missing '>'");
  if (const char* why = detail::parse_uri_into(text.substr(lt + 1, gt - lt - 1), out.uri)) {
    return error(why);
  }
  if (!detail::parse_header_params(text.substr(gt + 1), out.params)) {
    return error("bad header parameters");
  }
  return out;
}

base::Expected<std::vector<NameAddr>, ParseError> parse_name_addr_list(std::string_view text) {
  if (text.find(',') == std::string_view::npos) {  // one value: no list splitting needed
    auto one = parse_name_addr(text);
    if (!one) return base::unexpected(one.error());
    std::vector<NameAddr> out;
    out.push_back(std::move(*one));
    return out;
  }
  std::vector<NameAddr> out;
  std::optional<ParseError> failure;
  const bool balanced = detail::split_top_level(text, ',', [&](std::string_view piece) {
    if (failure) return;
    auto parsed = parse_name_addr(piece);
    if (!parsed) {
      failure = parsed.error();
      return;
    }
    out.push_back(std::move(*parsed));
  });
  if (!balanced) return error("unterminated quoted string");
  if (failure) return base::unexpected(std::move(*failure));
  if (out.size() > 1) {
    for (const NameAddr& n : out) {
      if (n.wildcard) return error("'*' mixed with other contacts");
    }
  }
  return out;
}

std::string NameAddr::to_string() const {
  if (wildcard) return "*";
  std::string out;
  if (display_name) {
    out += '"';
    for (char c : *display_name) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += "\" ";
  }
  out += '<';
  out += uri.to_string();
  out += '>';
  detail::append_params(out, params);
  return out;
}

}  // namespace kolokol::sip
