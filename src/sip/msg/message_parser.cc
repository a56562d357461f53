#include <cstring>

#include "sip/msg/message_checks.h"
#include "sip/msg/message_impl.h"
#include "sip/msg/scan.h"

namespace kolokol::sip {
namespace {

constexpr std::size_t kMaxMessageSize = 64 * 1024;
constexpr std::size_t kMaxHeaderLines = 1000;

base::Unexpected<ParseError> hard_error(int status, const char* why) {
  return base::unexpected(ParseError{status, why});
}

// Lines ending in CRLF or bare LF; position() is the offset after the last line returned.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const void* nl = std::memchr(text_.data() + pos_, '\n', text_.size() - pos_);
    const std::size_t end =
        nl == nullptr ? text_.size()
                      : static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data());
    line = text_.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = nl == nullptr ? end : end + 1;
    return true;
  }
  std::size_t position() const { return pos_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool parse_status_line(detail::MessageData& d, std::string_view line) {
  // "SIP/2.0" SP 3DIGIT SP Reason-Phrase
  if (line.size() < 11 || line.substr(0, 8) != "SIP/2.0 ") return false;
  const std::string_view code = line.substr(8, 3);
  const auto status = detail::parse_decimal(code, 699);
  if (!status || *status < 100) return false;
  if (line.size() > 11 && line[11] != ' ') return false;  // a fourth digit or garbage
  d.request = false;
  d.status = static_cast<int>(*status);
  d.reason = line.size() > 12 ? line.substr(12) : std::string_view();
  return true;
}

bool parse_request_line(detail::MessageData& d, std::string_view line) {
  const std::size_t first_sp = line.find(' ');
  if (first_sp == std::string_view::npos || first_sp == 0) return false;
  const std::string_view method = line.substr(0, first_sp);
  if (!detail::is_token(method)) return false;
  const std::string_view trimmed = detail::trim_right(line);
  const std::size_t last_sp = trimmed.rfind(' ');
  if (last_sp <= first_sp) return false;  // no SIP-Version
  const std::string_view version = trimmed.substr(last_sp + 1);
  if (!version.starts_with("SIP/") && !version.starts_with("sip/")) return false;
  d.request = true;
  d.method_text = method;
  d.method = method_from_name(method);
  if (version != "SIP/2.0") d.set_defect(505, "SIP version not supported");
  if (trimmed.size() != line.size()) d.set_defect(400, "whitespace at the end of the request line");
  const std::string_view uri_text = trimmed.substr(first_sp + 1, last_sp - first_sp - 1);
  if (uri_text.find_first_of(" \t") != std::string_view::npos || uri_text.empty()) {
    d.set_defect(400, "extra whitespace in the request line");
  }
  if (const char* why = detail::parse_uri_into(detail::trim(uri_text), d.request_uri)) {
    d.request_uri = Uri{};
    d.set_defect(400, std::string("bad Request-URI: ") + why);
    return true;
  }
  if (!d.request_uri.headers.empty()) d.set_defect(400, "Request-URI with headers");
  d.request_uri_text = uri_text;
  return true;
}

struct PendingHeader {
  bool active = false;
  Header header;
  std::string unfolded;
  bool folded = false;
};

void flush(detail::MessageData& d, PendingHeader& pending) {
  if (!pending.active) return;
  if (pending.folded) {
    pending.header.value = d.keep(std::string(detail::trim(pending.unfolded)));
    pending.unfolded.clear();
    pending.folded = false;
  }
  d.headers.push_back(pending.header);
  pending.active = false;
}

// Returns false when the header block is too large to handle.
bool parse_header_lines(detail::MessageData& d, LineReader& lines) {
  PendingHeader pending;
  std::string_view line;
  while (lines.next(line)) {
    if (line.empty()) break;
    if (detail::is_ws(line[0])) {  // folding: continues the previous header's value
      if (!pending.active) {
        d.set_defect(400, "header continuation without a header");
        continue;
      }
      const std::string_view more = detail::trim(line);
      if (more.empty()) continue;
      if (!pending.folded) {
        pending.unfolded.assign(pending.header.value);
        pending.folded = true;
      }
      if (!pending.unfolded.empty()) pending.unfolded += ' ';
      pending.unfolded += more;
      continue;
    }
    flush(d, pending);
    const std::size_t colon = line.find(':');
    const std::string_view name = colon == std::string_view::npos
                                      ? std::string_view()
                                      : detail::trim_right(line.substr(0, colon));
    if (!detail::is_token(name)) {
      d.set_defect(400, "malformed header line");
      continue;
    }
    if (d.headers.size() >= kMaxHeaderLines) return false;
    pending.active = true;
    pending.header = Header{header_id_from_name(name), name, detail::trim(line.substr(colon + 1))};
  }
  flush(d, pending);
  return true;
}

void split_body(detail::MessageData& d, const Message& m, std::string_view rest) {
  const Header* cl = m.find(HeaderId::ContentLength);
  if (cl == nullptr) {
    d.body.assign(rest);
    return;
  }
  const auto declared = detail::parse_decimal(cl->value, kMaxMessageSize * 16);
  if (!declared) {
    d.set_defect(400, "bad Content-Length");
    d.body.assign(rest);
  } else if (*declared > rest.size()) {
    d.set_defect(400, "Content-Length larger than the body");
    d.body.assign(rest);
  } else {
    d.body.assign(rest.substr(0, *declared));  // extra datagram bytes are discarded (18.3)
  }
}

}  // namespace

base::Expected<Message, ParseError> parse_message(std::string_view bytes) {
  if (bytes.size() > kMaxMessageSize) return hard_error(513, "message too large");
  while (!bytes.empty() && (bytes.front() == '\r' || bytes.front() == '\n')) bytes.remove_prefix(1);
  if (bytes.empty()) return hard_error(0, "empty message");

  Message message = MessageAccess::make();
  detail::MessageData& d = MessageAccess::data(message);
  // The header views point into raw; the body is copied out of it and cut off afterwards.
  d.raw.assign(bytes);
  d.headers.reserve(16);

  LineReader lines(d.raw);
  std::string_view start_line;
  lines.next(start_line);
  if (start_line.starts_with("SIP/")) {
    if (!parse_status_line(d, start_line)) return hard_error(0, "bad status line");
  } else if (!parse_request_line(d, start_line)) {
    return hard_error(0, "bad start line");
  }
  if (!parse_header_lines(d, lines)) return hard_error(0, "too many header lines");
  const std::size_t body_begin = lines.position();
  split_body(d, message, std::string_view(d.raw).substr(body_begin));
  d.raw.resize(body_begin);
  check_message(message);
  return message;
}

}  // namespace kolokol::sip
