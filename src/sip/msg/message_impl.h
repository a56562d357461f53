#pragma once

// Internal state of sip::Message, shared by the parser, the accessors and the serializer.

#include <forward_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/msg/message.h"

namespace kolokol::sip {
namespace detail {

template <typename T>
struct Lazy {
  bool ready = false;
  T value{};
};

// Typed views parsed from the header lines on first use.
struct ParsedHeaders {
  Lazy<std::vector<Via>> vias;
  Lazy<std::optional<NameAddr>> from;
  Lazy<std::optional<NameAddr>> to;
  Lazy<std::optional<CSeq>> cseq;
  Lazy<std::vector<NameAddr>> contacts;
  Lazy<std::vector<NameAddr>> routes;
  Lazy<std::vector<NameAddr>> record_routes;
  Lazy<std::string> content_type;

  void invalidate(HeaderId id);
};

struct MessageData {
  std::string raw;                       // start line and header block as received
  std::forward_list<std::string> arena;  // texts created later; nodes never move
  bool request = true;
  Method method = Method::Other;
  std::string_view method_text;
  Uri request_uri;
  std::string_view request_uri_text;  // wire spelling while the URI is unchanged
  int status = 0;
  std::string_view reason;
  std::vector<Header> headers;
  std::string body;
  std::optional<ParseError> defect;
  mutable ParsedHeaders parsed;

  std::string_view keep(std::string_view text) {
    if (text.empty()) return {};
    return arena.emplace_front(text);
  }
  std::string_view keep(std::string&& text) {
    if (text.empty()) return {};
    return arena.emplace_front(std::move(text));
  }
  void set_defect(int status_code, std::string reason_text) {
    if (!defect) defect = ParseError{status_code, std::move(reason_text)};
  }
};

}  // namespace detail

struct Message::Impl : detail::MessageData {};

struct MessageAccess {
  static detail::MessageData& data(Message& m) { return *m.impl_; }
  static const detail::MessageData& data(const Message& m) { return *m.impl_; }
  static Message make() { return Message(new Message::Impl()); }
};

// Splits a list header value at top-level commas into trimmed, non-empty values.
void split_values(std::string_view value, std::vector<std::string_view>& out);

}  // namespace kolokol::sip
