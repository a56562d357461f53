#include "sip/msg/uri.h"


#include "sip/msg/scan.h"

namespace kolokol::sip {
namespace {

using detail::iequals;

base::Unexpected<ParseError> uri_error(const char* why) {
  return base::unexpected(ParseError{400, why});
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool valid_scheme(std::string_view scheme) {
  if (scheme.empty() || !detail::is_alpha(scheme[0])) return false;
  for (char c : scheme) {
    if (!detail::has_class(c, detail::kSchemeChar)) return false;
  }
  return true;
}

// ";name[=value]" parameters up to '?' or the end; returns the index after them or npos.
std::size_t parse_uri_params(std::string_view text, std::size_t i, Params& out) {
  while (i < text.size() && text[i] == ';') {
    if (out.size() == detail::kMaxParams) return std::string_view::npos;
    ++i;
    std::size_t end = text.find_first_of(";?", i);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view segment = text.substr(i, end - i);
    const std::size_t eq = segment.find('=');
    const std::string_view name = segment.substr(0, eq);
    if (name.empty()) return std::string_view::npos;
    Param param{std::string(name), std::nullopt};
    if (eq != std::string_view::npos) param.value = std::string(segment.substr(eq + 1));
    out.push_back(std::move(param));
    i = end;
  }
  return i;
}

bool parse_uri_headers(std::string_view text, Params& out) {
  std::size_t i = 0;
  while (i <= text.size()) {
    if (out.size() == detail::kMaxParams) return false;
    std::size_t end = text.find('&', i);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view segment = text.substr(i, end - i);
    const std::size_t eq = segment.find('=');
    const std::string_view name = segment.substr(0, eq);
    if (name.empty()) return false;
    Param param{std::string(name), std::nullopt};
    if (eq != std::string_view::npos) param.value = std::string(segment.substr(eq + 1));
    out.push_back(std::move(param));
    i = end + 1;
  }
  return true;
}

bool valid_ipv6_reference(std::string_view host) {
  if (host.size() < 4) return false;  // "[::]" at least
  for (char c : host.substr(1, host.size() - 2)) {
    if (hex_value(c) < 0 && c != ':' && c != '.') return false;
  }
  return true;
}

const char* parse_sip_uri(Uri& uri, std::string_view rest) {
  const std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    uri.user = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) uri.password = std::string(userinfo.substr(colon + 1));
    if (uri.user.empty()) return "empty user part in URI";
    rest = rest.substr(at + 1);
  }
  std::size_t i = 0;
  if (!rest.empty() && rest[0] == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return "unterminated IPv6 reference";
    i = close + 1;
    if (!valid_ipv6_reference(rest.substr(0, i))) return "bad IPv6 reference";
  } else {
    while (i < rest.size() && detail::has_class(rest[i], detail::kUriHostChar)) ++i;
  }
  if (i == 0) return "missing host in URI";
  uri.host = std::string(rest.substr(0, i));
  if (i < rest.size() && rest[i] == ':') {
    const std::size_t port_start = ++i;
    while (i < rest.size() && detail::is_digit(rest[i])) ++i;
    const auto port = detail::parse_decimal(rest.substr(port_start, i - port_start), 65535);
    if (!port) return "bad port in URI";
    uri.port = static_cast<std::uint16_t>(*port);
  }
  i = parse_uri_params(rest, i, uri.params);
  if (i == std::string_view::npos) return "empty URI parameter";
  if (i < rest.size()) {
    if (rest[i] != '?') return "unexpected character after URI host";
    if (!parse_uri_headers(rest.substr(i + 1), uri.headers)) return "bad URI header";
  }
  return nullptr;
}

const char* parse_tel_uri(Uri& uri, std::string_view rest) {
  const std::size_t semi = rest.find(';');
  uri.user = std::string(rest.substr(0, semi));
  if (uri.user.empty()) return "empty telephone number";
  if (semi != std::string_view::npos) {
    const std::size_t end = parse_uri_params(rest, semi, uri.params);
    if (end != rest.size()) return "bad tel URI parameter";
  }
  return nullptr;
}

std::string_view written_scheme(const Uri& uri) {
  switch (uri.scheme) {
    case UriScheme::Sip:
      return "sip";
    case UriScheme::Sips:
      return "sips";
    case UriScheme::Tel:
      return "tel";
    case UriScheme::Other:
      break;
  }
  return uri.scheme_text;
}

bool same_optional_value(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || iequals(unescape(*a), unescape(*b));
}

// Only the first of several parameters with one name counts, as find_param() sees it.
bool shadowed(const Params& params, const Param& p) {
  return find_param(params, p.name) != &p;
}

bool same_params_both_ways(const Params& a, const Params& b) {
  if (a.size() != b.size()) return false;
  for (const Param& p : a) {
    if (shadowed(a, p)) continue;
    const Param* q = find_param(b, p.name);
    if (q == nullptr || !same_optional_value(p.value, q->value)) return false;
  }
  return true;
}

std::string tel_digits(std::string_view number) {
  std::string out;
  for (char c : unescape(number)) {
    if (c != '-' && c != '.' && c != '(' && c != ')') out.push_back(detail::ascii_lower(c));
  }
  return out;
}

bool sip_params_equivalent(const Params& a, const Params& b) {
  // These must match when present in either URI (RFC 3261 19.1.4).
  for (std::string_view name : {"user", "ttl", "method", "maddr", "transport"}) {
    const Param* pa = find_param(a, name);
    const Param* pb = find_param(b, name);
    if (pa == nullptr && pb == nullptr) continue;
    if (pa == nullptr || pb == nullptr || !same_optional_value(pa->value, pb->value)) return false;
  }
  // Any other parameter counts only when it appears in both.
  for (const Param& p : a) {
    if (shadowed(a, p)) continue;
    const Param* q = find_param(b, p.name);
    if (q != nullptr && !same_optional_value(p.value, q->value)) return false;
  }
  return true;
}

bool uri_headers_equivalent(const Params& a, const Params& b) {
  if (a.size() != b.size()) return false;
  for (const Param& p : a) {
    if (shadowed(a, p)) continue;
    const Param* q = find_param(b, p.name);
    if (q == nullptr || p.value.has_value() != q->value.has_value()) return false;
    if (p.value && unescape(*p.value) != unescape(*q->value)) return false;
  }
  return true;
}

}  // namespace

const char* detail::parse_uri_into(std::string_view text, Uri& uri) {
  for (char c : text) {
    if (!has_class(c, kUriChar)) return "invalid character in URI";
  }
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return "URI without scheme";
  const std::string_view scheme = text.substr(0, colon);
  if (!valid_scheme(scheme)) return "bad URI scheme";
  const std::string_view rest = text.substr(colon + 1);
  if (iequals(scheme, "sip") || iequals(scheme, "sips")) {
    uri.scheme = scheme.size() == 3 ? UriScheme::Sip : UriScheme::Sips;
    uri.scheme_text = scheme.size() == 3 ? "sip" : "sips";
    return parse_sip_uri(uri, rest);
  }
  uri.scheme_text = lower(scheme);
  if (uri.scheme_text == "tel") {
    uri.scheme = UriScheme::Tel;
    return parse_tel_uri(uri, rest);
  }
  uri.scheme = UriScheme::Other;
  if (rest.empty()) return "empty URI after scheme";
  uri.opaque = std::string(rest);
  return nullptr;
}

base::Expected<Uri, ParseError> parse_uri(std::string_view text) {
  Uri uri;
  if (const char* why = detail::parse_uri_into(text, uri)) return uri_error(why);
  return uri;
}

std::string Uri::to_string() const {
  std::string out(written_scheme(*this));
  out += ':';
  if (scheme == UriScheme::Other) {
    out += opaque;
    return out;
  }
  if (scheme == UriScheme::Tel) {
    out += user;
    detail::append_params(out, params);
    return out;
  }
  if (!user.empty() || password) {
    out += user;
    if (password) {
      out += ':';
      out += *password;
    }
    out += '@';
  }
  detail::append_host_port(out, host, port);
  detail::append_params(out, params);
  if (!headers.empty()) {
    out += '?';
    bool first = true;
    for (const Param& h : headers) {
      if (!first) out += '&';
      first = false;
      out += h.name;
      if (h.value) {
        out += '=';
        out += *h.value;
      }
    }
  }
  return out;
}

bool Uri::equivalent(const Uri& other) const {
  if (scheme != other.scheme) return false;
  switch (scheme) {
    case UriScheme::Other:
      return scheme_text == other.scheme_text && unescape(opaque) == unescape(other.opaque);
    case UriScheme::Tel:
      return tel_digits(user) == tel_digits(other.user) &&
             same_params_both_ways(params, other.params);
    case UriScheme::Sip:
    case UriScheme::Sips:
      break;
  }
  if (unescape(user) != unescape(other.user)) return false;
  if (password.has_value() != other.password.has_value()) return false;
  if (password && unescape(*password) != unescape(*other.password)) return false;
  if (!iequals(host, other.host) || port != other.port) return false;
  return sip_params_equivalent(params, other.params) &&
         uri_headers_equivalent(headers, other.headers);
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace kolokol::sip
