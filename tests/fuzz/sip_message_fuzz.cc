// libFuzzer target for the SIP message layer: parse, read every typed view, mutate, serialize
// and parse again. Built and run by scripts/fuzz.sh.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sip/msg/message.h"

namespace {

using namespace kolokol::sip;

// Deliberately loud: a broken invariant must stop the fuzzer with the input that broke it.
void require(bool condition) {
  if (!condition) std::abort();
}

void exercise_uri(const Uri& uri) {
  require(uri.equivalent(uri));
  const std::string text = uri.to_string();
  auto again = parse_uri(text);
  if (uri.scheme != UriScheme::Other && again) require(again->equivalent(uri));
  (void)unescape(uri.user);
}

void exercise_name_addr(const NameAddr& value) {
  if (!value.wildcard) exercise_uri(value.uri);
  (void)value.tag();
  auto again = parse_name_addr(value.to_string());
  require(again.has_value());
}

void exercise_typed(const Message& m) {
  for (const Via& via : m.vias()) {
    (void)via.branch();
    (void)via.received();
    (void)via.rport();
    (void)via.maddr();
    (void)via.rfc3261_branch();
    require(parse_via(via.to_string()).has_value());
  }
  (void)m.top_via();
  if (const NameAddr* from = m.from()) exercise_name_addr(*from);
  if (const NameAddr* to = m.to()) exercise_name_addr(*to);
  if (const CSeq* cseq = m.cseq()) require(parse_cseq(cseq->to_string()).has_value());
  (void)m.call_id();
  (void)m.max_forwards();
  (void)m.content_length();
  (void)m.content_type();
  (void)m.expires();
  for (const NameAddr& c : m.contacts()) exercise_name_addr(c);
  for (const NameAddr& r : m.routes()) exercise_name_addr(r);
  for (const NameAddr& r : m.record_routes()) exercise_name_addr(r);
  for (std::size_t i = 0; i < static_cast<std::size_t>(HeaderId::Count_); ++i) {
    (void)m.values(static_cast<HeaderId>(i));
  }
  for (const Header& h : m.headers()) {
    require(m.find(h.name) != nullptr);
    (void)m.values(h.name);
  }
  if (m.is_request()) exercise_uri(m.request_uri());
}

void exercise_mutators(const Message& original) {
  Message m = original.clone();
  require(m.to_string() == original.to_string());
  m.set_to_tag("fuzz");
  m.pop_front_value(HeaderId::Via);
  Via via;
  via.host = "192.0.2.1";
  m.set_top_via(via);
  m.add_header("X-Fuzz", "1");
  m.remove_headers(HeaderId::Route);
  m.set_body("text/plain", "body");
  auto reparsed = parse_message(m.to_string());
  require(reparsed.has_value());
  if (m.is_request()) {
    Message response = make_response(original, 400, {}, "tag");
    require(parse_message(response.to_string()).has_value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto message = parse_message(bytes);
  if (!message) return 0;
  exercise_typed(*message);

  const std::string wire = message->to_string();
  auto again = parse_message(wire);
  if (wire.size() <= 60 * 1024) {
    require(again.has_value());
    // Serializing is a fixed point: the second rendering equals the first.
    require(again->to_string() == wire);
    if (!message->defect()) require(!again->defect());
    require(again->body() == message->body());
  }
  exercise_mutators(*message);
  return 0;
}
