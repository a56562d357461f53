#pragma once

#include <cstddef>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>

namespace kolokol::sip {

// Cuts a TCP/TLS byte stream into SIP messages (RFC 3261 section 18.3): the header block ends at
// the first empty line, the body is Content-Length bytes (0 when the header is missing). Handles
// CRLF keep-alives (RFC 5626 section 3.5.1): "\r\n\r\n" is a ping; lone CRLFs before a start
// line are skipped. Work is bounded: every byte is scanned a constant number of times and at
// most max_message_size bytes (plus the last read) are buffered.
class StreamFramer {
 public:
  enum class Kind {
    NeedMore,  // no complete frame buffered
    Message,   // bytes is one complete message (header block + body)
    Ping,      // a double-CRLF keep-alive; answer with a single CRLF
    Error,     // the stream is unusable (oversized or malformed framing); close it
  };
  struct Frame {
    Kind kind = Kind::NeedMore;
    std::string_view bytes;  // Message only; valid until the next append() or next()
    std::string error;       // Error only
  };

  // The buffer comes from memory (connections pass their ConnectionArena).
  explicit StreamFramer(std::size_t max_message_size,
                        std::pmr::memory_resource* memory = std::pmr::get_default_resource())
      : max_message_size_(max_message_size), buffer_(memory) {}

  void append(std::string_view bytes);
  // The next frame; after Error every call returns Error again.
  Frame next();

  std::size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  void compact();
  Frame fail(std::string reason);

  std::size_t max_message_size_;
  std::pmr::string buffer_;
  std::size_t consumed_ = 0;    // bytes of buffer_ already handed out
  std::size_t scanned_to_ = 0;  // header-end search resumes here (relative to consumed_)
  std::optional<std::string> error_;
};

// Content-Length of a header block (without the final empty line): 0 when absent; nullopt when
// malformed, i.e. not a decimal number, absurdly long, or repeated with different values.
// Accepts the compact form "l", any letter case, LWS around the colon and folded lines.
std::optional<std::size_t> frame_content_length(std::string_view header_block);

}  // namespace kolokol::sip
