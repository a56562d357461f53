#include <charconv>

#include "sip/msg/message_impl.h"

namespace kolokol::sip {
namespace {

void append_number(std::string& out, std::size_t value) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, res.ptr);
}

}  // namespace

void Message::serialize(std::string& out) const {
  const detail::MessageData& d = *impl_;
  std::size_t estimate = d.body.size() + 128;
  for (const Header& h : d.headers) estimate += h.name.size() + h.value.size() + 16;
  out.reserve(out.size() + estimate);
  if (d.request) {
    out += d.method_text;
    out += ' ';
    if (d.request_uri_text.empty()) {
      out += d.request_uri.to_string();
    } else {
      out += d.request_uri_text;
    }
    out += " SIP/2.0\r\n";
  } else {
    out += "SIP/2.0 ";
    append_number(out, static_cast<std::size_t>(d.status));
    out += ' ';
    out += d.reason;
    out += "\r\n";
  }
  for (const Header& h : d.headers) {
    if (h.id == HeaderId::ContentLength) continue;  // written from the body below
    const std::string_view name = h.id == HeaderId::Other ? h.name : canonical_header_name(h.id);
    if (name.empty()) continue;
    out += name;
    out += ": ";
    out += h.value;
    out += "\r\n";
  }
  out += "Content-Length: ";
  append_number(out, d.body.size());
  out += "\r\n\r\n";
  out += d.body;
}

std::string Message::to_string() const {
  std::string out;
  serialize(out);
  return out;
}

}  // namespace kolokol::sip
