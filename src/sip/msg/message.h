#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "sip/msg/cseq.h"
#include "sip/msg/header_id.h"
#include "sip/msg/method.h"
#include "sip/msg/name_addr.h"
#include "sip/msg/parse_error.h"
#include "sip/msg/uri.h"
#include "sip/msg/via.h"

namespace kolokol::sip {

struct MessageAccess;

// One header line. Folded values are unfolded (each CRLF+WSP run becomes one SP) and trimmed.
// name keeps the spelling of the wire for unknown headers; known headers are serialized with
// their canonical name.
struct Header {
  HeaderId id = HeaderId::Other;
  std::string_view name;
  std::string_view value;
};

// A SIP request or response.
//
// Storage: a parsed message keeps the bytes it was parsed from and its header views point into
// them; headers added or changed later are stored in the message too. A Message is therefore
// move-only (moves keep the views valid); clone() makes an independent copy.
//
// Typed accessors (top_via(), from(), cseq() ...) parse on first use and cache the result; every
// mutator invalidates the cache of the headers it touches, which is why header access is
// read-only and changes go through the mutators.
class Message {
 public:
  static Message request(Method method, Uri request_uri);
  static Message request(std::string_view method_text, Uri request_uri);  // any method token
  static Message response(int status, std::string_view reason = {});      // default reason if empty

  Message(Message&&) noexcept;
  Message& operator=(Message&&) noexcept;
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
  ~Message();
  Message clone() const;

  bool is_request() const;
  bool is_response() const { return !is_request(); }
  std::string_view version() const;  // "SIP/2.0"

  // Requests.
  Method method() const;
  std::string_view method_text() const;
  const Uri& request_uri() const;
  void set_request_uri(Uri uri);

  // Responses.
  int status() const;
  std::string_view reason() const;
  void set_status(int status, std::string_view reason = {});

  // Headers, in wire order.
  const std::vector<Header>& headers() const;
  const Header* find(HeaderId id) const;            // first of that id
  const Header* find(std::string_view name) const;  // by name, any form (compact or long)
  std::size_t count(HeaderId id) const;             // header lines of that id
  // Every value of the header, in order; list headers are split at top-level commas.
  std::vector<std::string_view> values(HeaderId id) const;
  std::vector<std::string_view> values(std::string_view name) const;

  void add_header(HeaderId id, std::string_view value);  // appended, canonical name
  void add_header(std::string_view name, std::string_view value);
  // Inserted before the first header of the same id, or at the top when there is none
  // (Via, Route, Record-Route).
  void push_front_header(HeaderId id, std::string_view value);
  void set_header(HeaderId id, std::string_view value);  // replaces all of that id by one line
  std::size_t remove_headers(HeaderId id);
  std::size_t remove_headers(std::string_view name);
  // Removes the first value of a list header (splitting the line when it holds several).
  void pop_front_value(HeaderId id);

  // Typed views; nullptr / empty when absent or malformed.
  const Via* top_via() const;
  const std::vector<Via>& vias() const;
  const NameAddr* from() const;
  const NameAddr* to() const;
  std::string_view call_id() const;
  const CSeq* cseq() const;
  std::optional<int> max_forwards() const;
  std::optional<std::size_t> content_length() const;  // as declared in the header
  std::string_view content_type() const;              // media type without parameters, lower-cased
  const std::vector<NameAddr>& contacts() const;
  const std::vector<NameAddr>& routes() const;
  const std::vector<NameAddr>& record_routes() const;
  std::optional<std::uint32_t> expires() const;

  // Typed mutators.
  void set_top_via(const Via& via);  // replaces the first value of the first Via
  void set_from(const NameAddr& from);
  void set_to(const NameAddr& to);
  void set_to_tag(std::string_view tag);
  void set_cseq(const CSeq& cseq);

  // Body. serialize() always writes a Content-Length equal to the body size.
  const std::string& body() const;
  void set_body(std::string_view content_type, std::string body);
  void clear_body();

  std::string to_string() const;
  void serialize(std::string& out) const;  // appends

  // Set by parse_message() when the message is readable (start line, headers, body split) but
  // breaks a rule of RFC 3261: a malformed Via/From/To/CSeq/Call-ID/Max-Forwards/Content-Length,
  // a missing mandatory header, a request/CSeq method mismatch, a single-value header repeated,
  // a bad Request-URI, an unsupported SIP version (status 505). A request with a defect is
  // answered with defect()->status when Via, Call-ID, CSeq, From and To lines exist; a
  // response with a defect is dropped.
  const std::optional<ParseError>& defect() const;

 private:
  friend struct MessageAccess;  // parser and serializer internals (message_impl.h)
  struct Impl;
  explicit Message(Impl* impl);
  Impl* impl_;
};

// Parses one message from a datagram or from a complete stream frame.
// A body longer than Content-Length is truncated to it (RFC 3261 18.3: extra bytes in a
// datagram are discarded, RFC 4475 dblreq); a Content-Length larger than the bytes present is a
// defect (400, clerr). Without Content-Length the body is the rest of the data.
// Fails (no Message) only when not even a start line and header block can be read.
base::Expected<Message, ParseError> parse_message(std::string_view bytes);

// RFC 3261 section 21 reason phrases ("Not Found"); "Unknown" for unregistered codes.
std::string_view default_reason(int status);

// A response to request per RFC 3261 8.2.6.2: all Via lines, From, To (to_tag added when the To
// has none and to_tag is not empty), Call-ID and CSeq copied; for 18x/2xx to a dialog-creating
// request Record-Route is copied too (12.1.1). Works on requests with a defect as long as those
// header lines are present (their text is copied as is).
Message make_response(const Message& request, int status, std::string_view reason = {},
                      std::string_view to_tag = {});

}  // namespace kolokol::sip
