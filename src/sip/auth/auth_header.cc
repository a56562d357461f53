#include "sip/auth/auth_header.h"

#include "base/text.h"

namespace kolokol::sip {
namespace {

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '.':
    case '!':
    case '%':
    case '*':
    case '_':
    case '+':
    case '`':
    case '\'':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// A cursor over the header value; every step consumes at least one character or fails, so
// the work is linear in the (bounded) input.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void advance() { ++pos_; }
  std::string_view rest() const { return text_.substr(pos_); }

  std::string_view token() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_token_char(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // After the opening quote; fails on an unterminated string or a bare CR/LF.
  bool quoted_string(std::string& out) {
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (pos_ >= text_.size()) return false;
        const char escaped = text_[pos_++];
        if (escaped == '\r' || escaped == '\n') return false;
        out.push_back(escaped);
        continue;
      }
      if (c == '\r' || c == '\n') return false;
      out.push_back(c);
    }
    return false;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

base::Unexpected<AuthParseError> malformed(std::string detail) {
  return base::unexpected(AuthParseError{AuthParseFailure::Malformed, std::move(detail)});
}

}  // namespace

bool AuthValue::is_digest() const {
  return base::iequals(scheme, "Digest");
}

const AuthParam* AuthValue::find(std::string_view name) const {
  for (const auto& param : params) {
    if (base::iequals(param.name, name)) return &param;
  }
  return nullptr;
}

std::string quote_auth_string(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string AuthValue::to_string() const {
  std::string out = scheme;
  if (!is_digest()) {
    if (!other_text.empty()) out.append(" ").append(other_text);
    return out;
  }
  bool first = true;
  for (const auto& param : params) {
    out.append(first ? " " : ", ");
    first = false;
    out.append(param.name).append("=");
    out.append(param.quoted ? quote_auth_string(param.value) : param.value);
  }
  return out;
}

base::Expected<AuthValue, AuthParseError> parse_auth_value(std::string_view text) {
  if (text.size() > kMaxAuthValueLength) return malformed("auth header value too long");
  Scanner scan(text);
  scan.skip_space();
  AuthValue value;
  value.scheme = std::string(scan.token());
  if (value.scheme.empty()) return malformed("missing auth scheme");
  if (!scan.at_end() && !is_space(scan.peek())) return malformed("bad character after auth scheme");
  scan.skip_space();

  if (!value.is_digest()) {
    std::string_view rest = scan.rest();
    while (!rest.empty() && is_space(rest.back())) rest.remove_suffix(1);
    value.other_text = std::string(rest);
    return value;
  }

  while (!scan.at_end()) {
    if (value.params.size() >= kMaxAuthParams) return malformed("too many auth parameters");
    AuthParam param;
    param.name = std::string(scan.token());
    if (param.name.empty()) return malformed("expected an auth parameter name");
    scan.skip_space();
    if (scan.at_end() || scan.peek() != '=') return malformed("auth parameter without '='");
    scan.advance();
    scan.skip_space();
    if (!scan.at_end() && scan.peek() == '"') {
      scan.advance();
      param.quoted = true;
      if (!scan.quoted_string(param.value)) return malformed("unterminated quoted string");
    } else {
      param.value = std::string(scan.token());
      if (param.value.empty()) return malformed("auth parameter '" + param.name + "' has no value");
    }
    if (value.find(param.name) != nullptr) {
      return malformed("auth parameter '" + param.name + "' repeated");
    }
    value.params.push_back(std::move(param));
    scan.skip_space();
    if (scan.at_end()) break;
    if (scan.peek() != ',') return malformed("expected ',' between auth parameters");
    scan.advance();
    scan.skip_space();
  }
  if (value.params.empty()) return malformed("Digest without parameters");
  return value;
}

}  // namespace kolokol::sip
