#include "sip/msg/via.h"


#include "sip/msg/scan.h"

namespace kolokol::sip {
namespace {

base::Unexpected<ParseError> error(const char* why) {
  return base::unexpected(ParseError{400, why});
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool at_end() const { return i_ == text_.size(); }
  char peek() const { return text_[i_]; }
  std::size_t position() const { return i_; }
  std::string_view rest() const { return text_.substr(i_); }
  // Returns whether any LWS was skipped.
  bool skip_lws() {
    const std::size_t start = i_;
    while (i_ < text_.size() && detail::is_lws(text_[i_])) ++i_;
    return i_ != start;
  }
  bool consume(char c) {
    if (at_end() || text_[i_] != c) return false;
    ++i_;
    return true;
  }
  template <typename Pred>
  std::string_view take_while(Pred pred) {
    const std::size_t start = i_;
    while (i_ < text_.size() && pred(text_[i_])) ++i_;
    return text_.substr(start, i_ - start);
  }

 private:
  std::string_view text_;
  std::size_t i_ = 0;
};

}  // namespace

base::Expected<Via, ParseError> parse_via(std::string_view text) {
  Cursor in(detail::trim(text));
  Via via;
  const std::string_view name = in.take_while(detail::is_token_char);
  in.skip_lws();
  if (name.empty() || !in.consume('/')) return error("bad Via protocol");
  in.skip_lws();
  const std::string_view version = in.take_while(detail::is_token_char);
  in.skip_lws();
  if (version.empty() || !in.consume('/')) return error("bad Via protocol version");
  in.skip_lws();
  const std::string_view transport = in.take_while(detail::is_token_char);
  if (transport.empty()) return error("missing Via transport");
  if (!in.skip_lws()) return error("missing Via sent-by");
  via.protocol_name = detail::upper(name);
  via.protocol_version = std::string(version);
  via.transport = detail::upper(transport);
  std::string_view host;
  if (!in.at_end() && in.peek() == '[') {
    host = in.take_while([](char c) { return c != ']' && !detail::is_lws(c) && c != ';'; });
    if (!in.consume(']')) return error("unterminated IPv6 reference in Via");
    host = std::string_view(host.data(), host.size() + 1);
  } else {
    host = in.take_while([](char c) { return detail::has_class(c, detail::kUriHostChar); });
  }
  if (host.empty()) return error("missing Via host");
  via.host = std::string(host);
  in.skip_lws();
  if (in.consume(':')) {
    in.skip_lws();
    const auto port = detail::parse_decimal(in.take_while(detail::is_digit), 65535);
    if (!port) return error("bad Via port");
    via.port = static_cast<std::uint16_t>(*port);
  }
  if (!detail::parse_header_params(in.rest(), via.params)) return error("bad Via parameters");
  return via;
}

base::Expected<std::vector<Via>, ParseError> parse_via_list(std::string_view text) {
  if (text.find(',') == std::string_view::npos) {  // one value: no list splitting needed
    auto one = parse_via(text);
    if (!one) return base::unexpected(one.error());
    std::vector<Via> out;
    out.push_back(std::move(*one));
    return out;
  }
  std::vector<Via> out;
  std::optional<ParseError> failure;
  const bool balanced = detail::split_top_level(text, ',', [&](std::string_view piece) {
    if (failure) return;
    auto via = parse_via(piece);
    if (!via) {
      failure = via.error();
      return;
    }
    out.push_back(std::move(*via));
  });
  if (!balanced) return error("unterminated quoted string in Via");
  if (failure) return base::unexpected(std::move(*failure));
  return out;
}

std::optional<std::uint16_t> Via::rport() const {
  const auto value = param_value(params, "rport");
  if (!value) return std::nullopt;
  const auto port = detail::parse_decimal(*value, 65535);
  if (!port) return std::nullopt;
  return static_cast<std::uint16_t>(*port);
}

bool Via::rfc3261_branch() const {
  const auto b = branch();
  return b && b->starts_with(kMagicCookie);
}

std::string Via::to_string() const {
  std::string out;
  out.reserve(host.size() + 64);
  out += protocol_name;
  out += '/';
  out += protocol_version;
  out += '/';
  out += transport;
  out += ' ';
  detail::append_host_port(out, host, port);
  detail::append_params(out, params);
  return out;
}

}  // namespace kolokol::sip
