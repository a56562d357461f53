#include <gtest/gtest.h>

#include "sip/msg/message.h"

namespace kolokol::sip {
namespace {

constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: \"Alice A\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

TEST(Message, ParsesAnOrdinaryInvite) {
  auto m = parse_message(kInvite);
  ASSERT_TRUE(m.has_value()) << m.error().reason;
  EXPECT_FALSE(m->defect().has_value());
  EXPECT_TRUE(m->is_request());
  EXPECT_EQ(m->method(), Method::Invite);
  EXPECT_EQ(m->method_text(), "INVITE");
  EXPECT_EQ(m->request_uri().user, "bob");
  EXPECT_EQ(m->request_uri().host, "biloxi.example.com");
  ASSERT_NE(m->top_via(), nullptr);
  EXPECT_EQ(m->top_via()->host, "pc33.atlanta.example.com");
  EXPECT_EQ(m->top_via()->port, 5060);
  EXPECT_EQ(m->top_via()->branch(), "z9hG4bK776asdhds");
  EXPECT_TRUE(m->top_via()->rfc3261_branch());
  ASSERT_NE(m->from(), nullptr);
  EXPECT_EQ(m->from()->display_name, "Alice A");
  EXPECT_EQ(m->from()->tag(), "1928301774");
  ASSERT_NE(m->to(), nullptr);
  EXPECT_EQ(m->to()->display_name, "Bob");
  EXPECT_FALSE(m->to()->tag().has_value());
  EXPECT_EQ(m->call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
  ASSERT_NE(m->cseq(), nullptr);
  EXPECT_EQ(m->cseq()->number, 314159u);
  EXPECT_EQ(m->cseq()->method, Method::Invite);
  EXPECT_EQ(m->max_forwards(), 70);
  EXPECT_EQ(m->content_length(), 4u);
  EXPECT_EQ(m->content_type(), "application/sdp");
  ASSERT_EQ(m->contacts().size(), 1u);
  EXPECT_EQ(m->contacts()[0].uri.user, "alice");
  EXPECT_EQ(m->body(), "v=0\n");
}

TEST(Message, ParsesAResponse) {
  auto m = parse_message(
      "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:b@x>;tag=9\r\n"
      "From: <sip:a@y>;tag=1\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(m.has_value()) << m.error().reason;
  EXPECT_FALSE(m->defect().has_value());
  EXPECT_TRUE(m->is_response());
  EXPECT_EQ(m->status(), 180);
  EXPECT_EQ(m->reason(), "Ringing");
  EXPECT_EQ(m->to()->tag(), "9");
}

TEST(Message, RoundTripKeepsEveryValue) {
  auto first = parse_message(kInvite);
  ASSERT_TRUE(first.has_value());
  const std::string wire = first->to_string();
  EXPECT_EQ(wire, kInvite);
  auto second = parse_message(wire);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->to_string(), wire);
}

TEST(Message, MakeResponseCopiesTheDialogHeaders) {
  auto request = parse_message(kInvite);
  ASSERT_TRUE(request.has_value());
  Message response = make_response(*request, 486, {}, "totag");
  EXPECT_EQ(response.status(), 486);
  EXPECT_EQ(response.reason(), "Busy Here");
  EXPECT_EQ(response.to()->tag(), "totag");
  EXPECT_EQ(response.from()->tag(), "1928301774");
  EXPECT_EQ(response.call_id(), request->call_id());
  EXPECT_EQ(response.cseq()->number, 314159u);
  EXPECT_EQ(response.top_via()->branch(), "z9hG4bK776asdhds");
  auto reparsed = parse_message(response.to_string());
  ASSERT_TRUE(reparsed.has_value());
  EXPECT_FALSE(reparsed->defect().has_value());
}

}  // namespace
}  // namespace kolokol::sip
