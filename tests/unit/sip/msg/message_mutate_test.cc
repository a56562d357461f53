#include <gtest/gtest.h>

#include "sip/msg/message.h"

namespace kolokol::sip {
namespace {

constexpr std::string_view kInvite =
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1, SIP/2.0/UDP "
    "ua.example.com;branch=z9hG4bKu1\r\n"
    "Via: SIP/2.0/TCP first.example.com;branch=z9hG4bKf1\r\n"
    "Record-Route: <sip:proxy.example.com;lr>\r\n"
    "Route: <sip:r1.example.com;lr>, <sip:r2.example.com;lr>\r\n"
    "To: <sip:bob@example.com>\r\n"
    "From: <sip:alice@example.com>;tag=a1\r\n"
    "Call-ID: call-1\r\n"
    "CSeq: 7 INVITE\r\n"
    "Max-Forwards: 69\r\n"
    "Timestamp: 54\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

Message invite() {
  auto m = parse_message(kInvite);
  EXPECT_TRUE(m.has_value());
  EXPECT_FALSE(m->defect().has_value());
  return std::move(*m);
}

TEST(MessageMutate, BuildsARequestFromScratch) {
  Uri target;
  target.user = "bob";
  target.host = "example.com";
  Message m = Message::request(Method::Options, target);
  Via via;
  via.host = "192.0.2.1";
  via.port = 5060;
  set_param(via.params, "branch", "z9hG4bKabc");
  m.push_front_header(HeaderId::Via, via.to_string());
  m.add_header(HeaderId::MaxForwards, "70");
  NameAddr to;
  to.uri = target;
  m.set_to(to);
  NameAddr from = to;
  set_param(from.params, "tag", "x1");
  m.set_from(from);
  m.add_header(HeaderId::CallId, "id-1");
  m.set_cseq(CSeq{1, Method::Options, "OPTIONS"});
  m.add_header("X-Test", "yes");
  m.set_body("text/plain", "hello");
  EXPECT_EQ(m.to_string(),
            "OPTIONS sip:bob@example.com SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc\r\n"
            "Max-Forwards: 70\r\n"
            "To: <sip:bob@example.com>\r\n"
            "From: <sip:bob@example.com>;tag=x1\r\n"
            "Call-ID: id-1\r\n"
            "CSeq: 1 OPTIONS\r\n"
            "X-Test: yes\r\n"
            "Content-Type: text/plain\r\n"
            "Content-Length: 5\r\n"
            "\r\n"
            "hello");
  auto parsed = parse_message(m.to_string());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_FALSE(parsed->defect().has_value());
  EXPECT_EQ(parsed->body(), "hello");
  EXPECT_EQ(m.content_length(), 5u);
  m.clear_body();
  EXPECT_EQ(m.content_type(), "");
  EXPECT_NE(m.to_string().find("Content-Length: 0\r\n\r\n"), std::string::npos);
}

TEST(MessageMutate, ViaStackOperations) {
  Message m = invite();
  ASSERT_EQ(m.vias().size(), 3u);
  EXPECT_EQ(m.top_via()->host, "proxy.example.com");
  m.pop_front_value(HeaderId::Via);
  ASSERT_EQ(m.vias().size(), 2u);
  EXPECT_EQ(m.top_via()->host, "ua.example.com");
  EXPECT_EQ(m.count(HeaderId::Via), 2u);
  m.pop_front_value(HeaderId::Via);
  EXPECT_EQ(m.count(HeaderId::Via), 1u);
  EXPECT_EQ(m.top_via()->host, "first.example.com");

  Via mine;
  mine.transport = "TLS";
  mine.host = "pbx.example.com";
  set_param(mine.params, "branch", "z9hG4bKme");
  m.push_front_header(HeaderId::Via, mine.to_string());
  EXPECT_EQ(m.top_via()->transport, "TLS");
  EXPECT_EQ(m.vias().size(), 2u);

  Via received = *m.top_via();
  set_param(received.params, "received", "192.0.2.9");
  m.set_top_via(received);
  EXPECT_EQ(m.top_via()->received(), "192.0.2.9");
  EXPECT_EQ(m.vias().size(), 2u);
  EXPECT_EQ(m.headers().front().id, HeaderId::Via);  // Via lines stay above the rest
}

TEST(MessageMutate, SetTopViaKeepsTheOtherValuesOfTheLine) {
  Message m = invite();
  Via top = *m.top_via();
  set_param(top.params, "rport", "5070");
  m.set_top_via(top);
  ASSERT_EQ(m.vias().size(), 3u);
  EXPECT_EQ(m.top_via()->rport(), 5070);
  EXPECT_EQ(m.vias()[1].host, "ua.example.com");
}

TEST(MessageMutate, RouteAndHeaderReplacement) {
  Message m = invite();
  ASSERT_EQ(m.routes().size(), 2u);
  m.pop_front_value(HeaderId::Route);
  ASSERT_EQ(m.routes().size(), 1u);
  EXPECT_EQ(m.routes()[0].uri.host, "r2.example.com");
  m.set_header(HeaderId::MaxForwards, "68");
  EXPECT_EQ(m.max_forwards(), 68);
  EXPECT_EQ(m.count(HeaderId::MaxForwards), 1u);
  EXPECT_EQ(m.remove_headers(HeaderId::Route), 1u);
  EXPECT_TRUE(m.routes().empty());
  m.add_header("X-A", "1");
  m.add_header("x-a", "2");
  EXPECT_EQ(m.values("X-A").size(), 2u);
  EXPECT_EQ(m.remove_headers("X-a"), 2u);
  EXPECT_EQ(m.find("X-A"), nullptr);
}

TEST(MessageMutate, ToTagAndCSeq) {
  Message m = invite();
  m.set_to_tag("b7");
  EXPECT_EQ(m.to()->tag(), "b7");
  EXPECT_EQ(m.to()->uri.user, "bob");
  m.set_cseq(CSeq{8, Method::Bye, "BYE"});
  EXPECT_EQ(m.cseq()->number, 8u);
  EXPECT_EQ(m.find(HeaderId::CSeq)->value, "8 BYE");
}

TEST(MessageMutate, ValuesCannotInjectHeaderLines) {
  Message m = invite();
  m.add_header("X-Evil\r\nVia", "a\r\nVia: SIP/2.0/UDP attacker");
  const std::string wire = m.to_string();
  auto parsed = parse_message(wire);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->count(HeaderId::Via), 2u);
  m.set_status(200, "OK\r\nX: y");
}

TEST(MessageMutate, CloneIsIndependent) {
  Message original = invite();
  Message copy = original.clone();
  copy.set_to_tag("t");
  copy.set_request_uri(*parse_uri("sip:other@example.net"));
  EXPECT_FALSE(original.to()->tag().has_value());
  EXPECT_EQ(original.request_uri().user, "bob");
  EXPECT_EQ(copy.request_uri().user, "other");
  EXPECT_EQ(original.to_string(), kInvite);
  EXPECT_NE(copy.to_string().find("INVITE sip:other@example.net SIP/2.0\r\n"), std::string::npos);
  Message moved = std::move(copy);
  EXPECT_EQ(moved.to()->tag(), "t");
}

TEST(MessageMutate, MakeResponseCopiesPerRfc3261) {
  Message request = invite();
  Message ringing = make_response(request, 180, {}, "totag");
  EXPECT_EQ(ringing.reason(), "Ringing");
  EXPECT_EQ(ringing.vias().size(), 3u);
  EXPECT_EQ(ringing.count(HeaderId::Via), 2u);
  EXPECT_EQ(ringing.record_routes().size(), 1u);
  EXPECT_EQ(ringing.to()->tag(), "totag");
  EXPECT_EQ(ringing.find(HeaderId::Route), nullptr);
  EXPECT_EQ(ringing.find(HeaderId::Timestamp), nullptr);

  Message trying = make_response(request, 100);
  EXPECT_FALSE(trying.to()->tag().has_value());
  EXPECT_EQ(trying.find(HeaderId::RecordRoute), nullptr);
  EXPECT_NE(trying.find(HeaderId::Timestamp), nullptr);

  Message busy = make_response(request, 486, "Busy Now", "t2");
  EXPECT_EQ(busy.reason(), "Busy Now");
  EXPECT_EQ(busy.find(HeaderId::RecordRoute), nullptr);

  request.set_to_tag("existing");
  Message in_dialog = make_response(request, 200, {}, "ignored");
  EXPECT_EQ(in_dialog.to()->tag(), "existing");
  EXPECT_EQ(in_dialog.find(HeaderId::To)->value.find("ignored"), std::string_view::npos);
}

TEST(MessageMutate, DefaultReasons) {
  const std::pair<int, std::string_view> expected[] = {{100, "Trying"},
                                                       {200, "OK"},
                                                       {404, "Not Found"},
                                                       {422, "Session Interval Too Small"},
                                                       {423, "Interval Too Brief"},
                                                       {428, "Use Identity Header"},
                                                       {429, "Provide Referrer Identity"},
                                                       {439, "First Hop Lacks Outbound Support"},
                                                       {440, "Max-Breadth Exceeded"},
                                                       {469, "Bad Info Package"},
                                                       {470, "Consent Needed"},
                                                       {489, "Bad Event"},
                                                       {491, "Request Pending"},
                                                       {494, "Security Agreement Required"},
                                                       {580, "Precondition Failure"},
                                                       {603, "Decline"},
                                                       {607, "Unwanted"},
                                                       {608, "Rejected"},
                                                       {299, "Unknown"}};
  for (auto [code, text] : expected) EXPECT_EQ(default_reason(code), text) << code;
  EXPECT_EQ(Message::response(404).reason(), "Not Found");
  EXPECT_EQ(Message::response(404).to_string(),
            "SIP/2.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace kolokol::sip
