#include "txn_test_support.h"

namespace kolokol::sip::testing {

Message parse(std::string text) {
  std::string wire;
  for (char c : text) {
    if (c == '\n') wire += '\r';
    wire += c;
  }
  auto parsed = parse_message(wire);
  if (!parsed) {
    ADD_FAILURE() << "unparseable test message: " << parsed.error().reason << "\n" << text;
    return Message::response(500);
  }
  return std::move(*parsed);
}

Message make_request(const RequestSpec& spec) {
  std::string via = "SIP/2.0/" + spec.transport + " " + spec.via_host + ":5060";
  if (!spec.branch.empty()) via += ";branch=" + spec.branch;
  std::string to = "<sip:bob@example.com>";
  if (!spec.to_tag.empty()) to += ";tag=" + spec.to_tag;
  const std::string& cseq_method = spec.cseq_method.empty() ? spec.method : spec.cseq_method;
  return parse(spec.method + " " + spec.request_uri + " SIP/2.0\n" + "Via: " + via + "\n" +
               "Max-Forwards: 70\n" + "From: <sip:alice@example.com>;tag=" + spec.from_tag + "\n" +
               "To: " + to + "\n" + "Call-ID: " + spec.call_id + "\n" + "CSeq: " +
               std::to_string(spec.cseq) + " " + cseq_method + "\n" + "Content-Length: 0\n\n");
}

Message make_outgoing(std::string method, std::uint32_t cseq) {
  return parse(method + " sip:bob@192.0.2.1 SIP/2.0\n" + "Max-Forwards: 70\n" +
               "From: <sip:alice@example.com>;tag=ourtag\n" + "To: <sip:bob@example.com>\n" +
               "Call-ID: out1@example.com\n" + "CSeq: " + std::to_string(cseq) + " " + method +
               "\n" + "Content-Length: 0\n\n");
}

Source udp_source() {
  return Source{.remote = {Transport::Udp, "192.0.2.1", 5060},
                .local = {Transport::Udp, "192.0.2.10", 5060}};
}
Source tcp_source() {
  return Source{.remote = {Transport::Tcp, "192.0.2.1", 40000},
                .local = {Transport::Tcp, "192.0.2.10", 5060},
                .connection = 7};
}
Endpoint udp_peer() {
  return {Transport::Udp, "192.0.2.1", 5060};
}
Endpoint tcp_peer() {
  return {Transport::Tcp, "192.0.2.1", 5060};
}

}  // namespace kolokol::sip::testing
