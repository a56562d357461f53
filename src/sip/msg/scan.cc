#include "sip/msg/scan.h"

#include <charconv>
#include <limits>

namespace kolokol::sip::detail {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a == b) return true;  // the usual case, and a memcmp
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_upper(c);
  return out;
}

std::string_view trim_left(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_lws(text[i])) ++i;
  return text.substr(i);
}

std::string_view trim_right(std::string_view text) {
  std::size_t n = text.size();
  while (n > 0 && is_lws(text[n - 1])) --n;
  return text.substr(0, n);
}

std::string_view trim(std::string_view text) {
  return trim_right(trim_left(text));
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (max - digit) / 10) return std::nullopt;  // value * 10 + digit > max
    value = value * 10 + digit;
  }
  return value;
}

std::size_t quoted_string_length(std::string_view text) {
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

std::string unquote(std::string_view quoted) {
  std::string out;
  if (quoted.size() < 2) return out;
  quoted = quoted.substr(1, quoted.size() - 2);
  out.reserve(quoted.size());
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 1 < quoted.size()) ++i;
    out.push_back(quoted[i]);
  }
  return out;
}

bool parse_header_params(std::string_view text, Params& out) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto skip_lws = [&] {
    while (i < n && is_lws(text[i])) ++i;
  };
  while (true) {
    skip_lws();
    if (i == n) return true;
    if (text[i] != ';' || out.size() == kMaxParams) return false;
    ++i;
    skip_lws();
    const std::size_t name_start = i;
    while (i < n && is_token_char(text[i])) ++i;
    if (i == name_start) return false;
    Param param{std::string(text.substr(name_start, i - name_start)), std::nullopt};
    skip_lws();
    if (i < n && text[i] == '=') {
      ++i;
      skip_lws();
      if (i < n && text[i] == '"') {
        const std::size_t len = quoted_string_length(text.substr(i));
        if (len == std::string_view::npos) return false;
        param.value = std::string(text.substr(i, len));
        i += len;
      } else {
        const std::size_t value_start = i;
        while (i < n && has_class(text[i], kParamValue)) ++i;
        if (i == value_start) return false;
        param.value = std::string(text.substr(value_start, i - value_start));
      }
    }
    out.push_back(std::move(param));
  }
}

void append_host_port(std::string& out, std::string_view host, std::optional<std::uint16_t> port) {
  out += host;
  if (!port) return;
  char buf[8];
  const auto res = std::to_chars(buf, buf + sizeof buf, *port);
  out += ':';
  out.append(buf, res.ptr);
}

void append_params(std::string& out, const Params& params, char separator) {
  for (const Param& p : params) {
    out += separator;
    out += p.name;
    if (p.value) {
      out += '=';
      out += *p.value;
    }
  }
}

}  // namespace kolokol::sip::detail

namespace kolokol::sip::detail {

std::size_t find_top_level(std::string_view text, char sep) {
  bool quoted = false;
  bool angle = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '<') {
      angle = true;
    } else if (c == '>') {
      angle = false;
    } else if (c == sep && !angle) {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace kolokol::sip::detail
