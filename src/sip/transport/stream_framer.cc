#include "sip/transport/stream_framer.h"

#include <algorithm>
#include <cctype>

namespace kolokol::sip {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kPing = "\r\n\r\n";
constexpr std::string_view kHeaderEnd = "\r\n\r\n";
constexpr std::size_t kMaxDigits = 9;  // larger bodies exceed any sane message limit anyway

bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_wsp(s.front()) || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (is_wsp(s.back()) || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Parses the value of one Content-Length header; folded LWS inside was already kept as is and
// is trimmed here.
std::optional<std::size_t> parse_length(std::string_view value) {
  value = trim(value);
  if (value.empty() || value.size() > kMaxDigits) return std::nullopt;
  std::size_t n = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

}  // namespace

std::optional<std::size_t> frame_content_length(std::string_view block) {
  std::optional<std::size_t> length;
  // Skip the start line.
  std::size_t pos = block.find(kCrlf);
  if (pos == std::string_view::npos) return 0;
  pos += kCrlf.size();
  while (pos < block.size()) {
    // One logical header: continues while the next line starts with whitespace (folding).
    std::size_t end = pos;
    while (true) {
      end = block.find(kCrlf, end);
      if (end == std::string_view::npos) {
        end = block.size();
        break;
      }
      if (end + 2 < block.size() && is_wsp(block[end + 2])) {
        end += 2;
        continue;
      }
      break;
    }
    const std::string_view header = block.substr(pos, end - pos);
    pos = end + kCrlf.size();
    const std::size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;  // the parser judges malformed lines
    const std::string_view name = trim(header.substr(0, colon));
    if (!iequals(name, "content-length") && !iequals(name, "l")) continue;
    auto value = parse_length(header.substr(colon + 1));
    if (!value) return std::nullopt;
    if (length && *length != *value) return std::nullopt;
    length = value;
  }
  return length.value_or(0);
}

void StreamFramer::append(std::string_view bytes) {
  compact();
  buffer_.append(bytes);
}

void StreamFramer::compact() {
  if (consumed_ == 0) return;
  buffer_.erase(0, consumed_);
  consumed_ = 0;
  if (buffer_.empty() && buffer_.capacity() > 4096) {
    std::pmr::string(buffer_.get_allocator()).swap(buffer_);  // idle streams hold no memory
  }
}

StreamFramer::Frame StreamFramer::fail(std::string reason) {
  error_ = reason;
  return Frame{Kind::Error, {}, std::move(reason)};
}

StreamFramer::Frame StreamFramer::next() {
  if (error_) return Frame{Kind::Error, {}, *error_};
  compact();
  std::string_view data(buffer_);

  // Keep-alives and CRLFs between messages.
  while (data.substr(0, 2) == kCrlf || (data.size() < 2 && data == "\r")) {
    if (data.substr(0, 4) == kPing) {
      consumed_ += kPing.size();
      scanned_to_ = 0;
      return Frame{Kind::Ping};
    }
    if (data.size() < kPing.size() && kPing.substr(0, data.size()) == data) {
      return Frame{};  // maybe the start of a ping: wait for the rest
    }
    consumed_ += kCrlf.size();
    data.remove_prefix(kCrlf.size());
    scanned_to_ = 0;
  }
  if (data.empty()) return Frame{};

  const std::size_t search_from = scanned_to_ >= 3 ? scanned_to_ - 3 : 0;
  const std::size_t header_end = data.find(kHeaderEnd, search_from);
  if (header_end == std::string_view::npos) {
    scanned_to_ = data.size();
    if (data.size() > max_message_size_) {
      return fail("no end of header block within " + std::to_string(max_message_size_) + " bytes");
    }
    return Frame{};
  }
  const auto body_length = frame_content_length(data.substr(0, header_end));
  if (!body_length) return fail("malformed Content-Length");
  const std::size_t total = header_end + kHeaderEnd.size() + *body_length;
  if (total > max_message_size_) {
    return fail("message of " + std::to_string(total) + " bytes exceeds the limit of " +
                std::to_string(max_message_size_));
  }
  if (data.size() < total) {
    scanned_to_ = header_end;  // found again at once next time
    return Frame{};
  }
  consumed_ += total;
  scanned_to_ = 0;
  return Frame{Kind::Message, data.substr(0, total)};
}

}  // namespace kolokol::sip
