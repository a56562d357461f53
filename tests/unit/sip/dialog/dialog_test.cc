#include "sip/dialog/dialog.h"

#include <gtest/gtest.h>

#include <string>

#include "sip/dialog/dialog_set.h"

namespace kolokol::sip {
namespace {

Message parse(std::string text) {
  // Test messages are written with \n; SIP wants CRLF.
  std::string wire;
  for (char c : text) {
    if (c == '\n')
      wire += "\r\n";
    else
      wire += c;
  }
  auto parsed = parse_message(wire);
  EXPECT_TRUE(parsed.has_value());
  return std::move(*parsed);
}

const char* kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\n"
    "Record-Route: <sip:p2.example.com;lr>\n"
    "Record-Route: <sip:p1.example.com;lr>\n"
    "Max-Forwards: 70\n"
    "To: Bob <sip:bob@biloxi.example.com>\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\n"
    "Content-Length: 0\n\n";

NameAddr contact(std::string_view uri) {
  return *parse_name_addr(uri);
}

TEST(Dialog, UasCreationKeepsRecordRouteOrderAndRemoteState) {
  Message invite = parse(kInvite);
  auto dialog = Dialog::create_uas(invite, "uas-tag", contact("<sip:bob@192.0.2.4>"));
  ASSERT_TRUE(dialog.has_value()) << dialog.error();
  EXPECT_FALSE(dialog->is_uac());
  EXPECT_EQ(dialog->id(), (DialogId{"a84b4c76e66710", "uas-tag", "1928301774"}));
  EXPECT_EQ(dialog->state(), DialogState::Early);
  EXPECT_EQ(dialog->remote_cseq(), 314159u);
  EXPECT_FALSE(dialog->local_cseq().has_value());
  EXPECT_EQ(dialog->remote_target().to_string(), "sip:alice@pc33.atlanta.example.com");
  ASSERT_EQ(dialog->route_set().size(), 2u);
  EXPECT_EQ(dialog->route_set()[0].uri.host, "p2.example.com");
  EXPECT_EQ(dialog->route_set()[1].uri.host, "p1.example.com");
  EXPECT_EQ(dialog->local_party().tag(), "uas-tag");
  EXPECT_FALSE(dialog->secure());
}

TEST(Dialog, UasRequestFromUsAddressesTheCallerThroughTheRouteSet) {
  Message invite = parse(kInvite);
  auto dialog = Dialog::create_uas(invite, "uas-tag", contact("<sip:bob@192.0.2.4>"));
  ASSERT_TRUE(dialog.has_value());
  dialog->confirm();
  Message bye = dialog->make_request(Method::Bye);
  EXPECT_EQ(bye.method(), Method::Bye);
  EXPECT_EQ(bye.request_uri().to_string(), "sip:alice@pc33.atlanta.example.com");
  ASSERT_EQ(bye.routes().size(), 2u);
  EXPECT_EQ(bye.routes()[0].uri.host, "p2.example.com");
  EXPECT_EQ(bye.from()->tag(), "uas-tag");
  EXPECT_EQ(bye.to()->tag(), "1928301774");
  EXPECT_EQ(bye.to()->uri.user, "alice");
  EXPECT_EQ(bye.call_id(), "a84b4c76e66710");
  EXPECT_EQ(bye.cseq()->number, 1u);  // empty local CSeq starts fresh
  EXPECT_EQ(dialog->next_hop_uri(bye).host, "p2.example.com");
}

TEST(Dialog, UacCreationReversesRecordRouteAndConfirmsOn2xx) {
  Message invite = parse(kInvite);
  Message ringing = make_response(invite, 180, {}, "bob-tag");
  ringing.add_header(HeaderId::Contact, "<sip:bob@192.0.2.4>");
  auto dialog = Dialog::create_uac(invite, ringing);
  ASSERT_TRUE(dialog.has_value()) << dialog.error();
  EXPECT_TRUE(dialog->is_uac());
  EXPECT_EQ(dialog->state(), DialogState::Early);
  EXPECT_EQ(dialog->id(), (DialogId{"a84b4c76e66710", "1928301774", "bob-tag"}));
  EXPECT_EQ(dialog->local_cseq(), 314159u);
  EXPECT_EQ(dialog->remote_target().host, "192.0.2.4");
  ASSERT_EQ(dialog->route_set().size(), 2u);
  EXPECT_EQ(dialog->route_set()[0].uri.host, "p1.example.com");  // reversed
  EXPECT_EQ(dialog->local_contact().uri.host, "pc33.atlanta.example.com");

  // The 2xx recomputes the route set (here one proxy only) and the target.
  Message ok = parse(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\n"
      "Record-Route: <sip:p9.example.com;lr>\n"
      "To: Bob <sip:bob@biloxi.example.com>;tag=bob-tag\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710\n"
      "CSeq: 314159 INVITE\n"
      "Contact: <sip:bob@192.0.2.5:5070>\n"
      "Content-Length: 0\n\n");
  dialog->update_from_response(Method::Invite, ok);
  EXPECT_EQ(dialog->state(), DialogState::Confirmed);
  ASSERT_EQ(dialog->route_set().size(), 1u);
  EXPECT_EQ(dialog->route_set()[0].uri.host, "p9.example.com");
  EXPECT_EQ(dialog->remote_target().port, 5070);
}

TEST(Dialog, UacNeedsATagInTheResponse) {
  Message invite = parse(kInvite);
  Message ringing = make_response(invite, 180);
  EXPECT_FALSE(Dialog::create_uac(invite, ringing).has_value());
  Message trying = make_response(invite, 100, {}, "x");
  EXPECT_FALSE(Dialog::create_uac(invite, trying).has_value());
}

TEST(Dialog, CSeqIncrementsAndAckReusesTheInviteNumber) {
  Message invite = parse(kInvite);
  Message ok = make_response(invite, 200, {}, "bob-tag");
  ok.add_header(HeaderId::Contact, "<sip:bob@192.0.2.4>");
  auto dialog = Dialog::create_uac(invite, ok);
  ASSERT_TRUE(dialog.has_value());
  Message ack = dialog->make_ack(314159);
  EXPECT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.cseq()->number, 314159u);
  EXPECT_EQ(ack.cseq()->method, Method::Ack);
  EXPECT_EQ(dialog->local_cseq(), 314159u);  // ACK does not consume a number
  Message reinvite = dialog->make_request(Method::Invite);
  EXPECT_EQ(reinvite.cseq()->number, 314160u);
  EXPECT_EQ(reinvite.contacts().size(), 1u);  // target refresh carries our Contact
  Message info = dialog->make_request("INFO");
  EXPECT_EQ(info.cseq()->number, 314161u);
  EXPECT_EQ(info.cseq()->method, Method::Info);
  EXPECT_TRUE(info.contacts().empty());
  Message custom = dialog->make_request("FOO");
  EXPECT_EQ(custom.method_text(), "FOO");
  EXPECT_EQ(custom.cseq()->number, 314162u);
}

TEST(Dialog, StrictRouteFirstPutsTheRouteInTheRequestUriAndTheTargetLast) {
  std::string text = kInvite;
  text.replace(text.find("<sip:p1.example.com;lr>"), 23, "<sip:p1.example.com;maddr=10.0.0.1>");
  Message invite = parse(text);
  Message ok = make_response(invite, 200, {}, "bob-tag");
  ok.add_header(HeaderId::Contact, "<sip:bob@192.0.2.4>");
  auto dialog = Dialog::create_uac(invite, ok);
  ASSERT_TRUE(dialog.has_value());
  // UAC route set: p1 (strict), p2 (loose).
  Message bye = dialog->make_request(Method::Bye);
  EXPECT_EQ(bye.request_uri().host, "p1.example.com");
  EXPECT_EQ(bye.request_uri().to_string(), "sip:p1.example.com;maddr=10.0.0.1");
  ASSERT_EQ(bye.routes().size(), 2u);
  EXPECT_EQ(bye.routes()[0].uri.host, "p2.example.com");
  EXPECT_EQ(bye.routes()[1].uri.to_string(), "sip:bob@192.0.2.4");
  EXPECT_EQ(dialog->next_hop_uri(bye).host, "p1.example.com");
}

TEST(Dialog, LooseRoutingWithoutRecordRouteAddressesTheTargetDirectly) {
  std::string text = kInvite;
  text.erase(text.find("Record-Route: <sip:p2"),
             std::string("Record-Route: <sip:p2.example.com;lr>\n").size());
  text.erase(text.find("Record-Route: <sip:p1"),
             std::string("Record-Route: <sip:p1.example.com;lr>\n").size());
  Message invite = parse(text);
  auto dialog = Dialog::create_uas(invite, "t", contact("<sip:bob@192.0.2.4>"));
  ASSERT_TRUE(dialog.has_value());
  Message bye = dialog->make_request(Method::Bye);
  EXPECT_TRUE(bye.routes().empty());
  EXPECT_EQ(dialog->next_hop_uri(bye).host, "pc33.atlanta.example.com");
}

TEST(Dialog, LowerCSeqIsRejectedWith500AndRetryAfter) {
  Message invite = parse(kInvite);
  auto dialog = Dialog::create_uas(invite, "t", contact("<sip:bob@192.0.2.4>"));
  ASSERT_TRUE(dialog.has_value());
  Message bye = dialog->make_request(Method::Bye);  // shape only; we rewrite CSeq below
  bye.set_cseq(CSeq{314158, Method::Bye, "BYE"});
  auto rejected = dialog->check_request(bye);
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->status(), 500);
  EXPECT_NE(rejected->find(HeaderId::RetryAfter), nullptr);
  EXPECT_EQ(dialog->remote_cseq(), 314159u);

  bye.set_cseq(CSeq{314160, Method::Bye, "BYE"});
  EXPECT_FALSE(dialog->check_request(bye).has_value());
  EXPECT_EQ(dialog->remote_cseq(), 314160u);

  // ACK and CANCEL carry the INVITE's number and are never out of order.
  Message ack = dialog->make_ack(314159);
  EXPECT_FALSE(dialog->check_request(ack).has_value());
  EXPECT_EQ(dialog->remote_cseq(), 314160u);
}

TEST(Dialog, ReInviteAndUpdateRefreshTheTargetButInfoDoesNot) {
  Message invite = parse(kInvite);
  auto dialog = Dialog::create_uas(invite, "t", contact("<sip:bob@192.0.2.4>"));
  ASSERT_TRUE(dialog.has_value());
  dialog->confirm();
  std::string info_text = kInvite;
  info_text.replace(0, 6, "INFO");
  info_text.replace(info_text.find("314159 INVITE"), 13, "314160 INFO");
  info_text.replace(info_text.find("pc33.atlanta.example.com>"), 25, "moved.example.com>");
  Message info = parse(info_text);
  ASSERT_EQ(info.method(), Method::Info);
  EXPECT_FALSE(dialog->check_request(info).has_value());
  EXPECT_EQ(dialog->remote_target().host, "pc33.atlanta.example.com");

  std::string update_text = info_text;
  update_text.replace(0, 4, "UPDATE");
  update_text.replace(update_text.find("314160 INFO"), 11, "314161 UPDATE");
  Message update = parse(update_text);
  ASSERT_EQ(update.method(), Method::Update);
  EXPECT_FALSE(dialog->check_request(update).has_value());
  EXPECT_EQ(dialog->remote_target().host, "moved.example.com");
}

TEST(Dialog, TargetRefreshResponseUpdatesTheRemoteTarget) {
  Message invite = parse(kInvite);
  Message ok = make_response(invite, 200, {}, "bob-tag");
  ok.add_header(HeaderId::Contact, "<sip:bob@192.0.2.4>");
  auto dialog = Dialog::create_uac(invite, ok);
  ASSERT_TRUE(dialog.has_value());
  Message reinvite = dialog->make_request(Method::Invite);
  Message reinvite_ok = make_response(reinvite, 200);
  reinvite_ok.add_header(HeaderId::Contact, "<sip:bob@198.51.100.7>");
  dialog->update_from_response(Method::Invite, reinvite_ok);
  EXPECT_EQ(dialog->remote_target().host, "198.51.100.7");
  ASSERT_EQ(dialog->route_set().size(), 2u);  // a re-INVITE never changes the route set
}

TEST(DialogSet, ForkedProvisionalsCreateEarlyDialogsAndAFinalErrorEndsThem) {
  Message invite = parse(kInvite);
  DialogSet set(invite.clone());
  Message trying = make_response(invite, 100);
  EXPECT_EQ(set.on_response(trying), nullptr);
  Message ring_a = make_response(invite, 180, {}, "fork-a");
  ring_a.add_header(HeaderId::Contact, "<sip:a@192.0.2.10>");
  Message ring_b = make_response(invite, 183, {}, "fork-b");
  ring_b.add_header(HeaderId::Contact, "<sip:b@192.0.2.11>");
  Dialog* a = set.on_response(ring_a);
  Dialog* b = set.on_response(ring_b);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(set.on_response(ring_a), a);  // same tag, same dialog
  EXPECT_EQ(a->remote_target().host, "192.0.2.10");
  EXPECT_FALSE(set.has_confirmed());

  Message ok_b = make_response(invite, 200, {}, "fork-b");
  ok_b.add_header(HeaderId::Contact, "<sip:b@192.0.2.11>");
  EXPECT_EQ(set.on_response(ok_b), b);
  EXPECT_EQ(b->state(), DialogState::Confirmed);
  EXPECT_TRUE(set.has_confirmed());

  Message busy = make_response(invite, 486, {}, "fork-c");
  EXPECT_EQ(set.on_response(busy), nullptr);
  EXPECT_EQ(a->state(), DialogState::Terminated);
  EXPECT_EQ(b->state(), DialogState::Confirmed);
  set.prune();
  EXPECT_EQ(set.size(), 1u);
  EXPECT_EQ(set.find("fork-b"), b);
  EXPECT_EQ(set.find("fork-a"), nullptr);
}

}  // namespace
}  // namespace kolokol::sip
