#include <gtest/gtest.h>

#include <algorithm>

#include "session_test_support.h"

namespace kolokol::sip::testing {
namespace {

bool has_event(const Agent& agent, std::string_view event) {
  return std::find(agent.events.begin(), agent.events.end(), event) != agent.events.end();
}

TEST_F(SessionTest, BasicCallNegotiatesAndEndsWithBye) {
  establish();
  EXPECT_TRUE(has_event(*alice, "provisional:180"));
  EXPECT_TRUE(has_event(*alice, "answer:v=0 answer"));
  EXPECT_TRUE(has_event(*bob, "offer:v=0 offer"));
  EXPECT_EQ(alice->session()->offer_answer().remote_sdp(), "v=0 answer");
  EXPECT_EQ(bob->session()->offer_answer().remote_sdp(), "v=0 offer");
  EXPECT_EQ(alice->session()->dialog()->id().remote_tag, bob->session()->local_tag());
  EXPECT_EQ(network.count("alice", "ACK"), 1u);

  alice->session()->hangup();
  network.pump();
  ASSERT_TRUE(alice->end && bob->end);
  EXPECT_EQ(alice->end->reason, SessionEndReason::LocalBye);
  EXPECT_EQ(bob->end->reason, SessionEndReason::RemoteBye);
  EXPECT_EQ(network.count("bob", "200/BYE"), 1u);

  // Terminated sessions linger for 64*T1, then go.
  network.run_for(33s, 1s);
  EXPECT_EQ(alice->manager->session_count(), 0u);
  EXPECT_EQ(bob->manager->session_count(), 0u);
}

TEST_F(SessionTest, CalleeCanHangUpToo) {
  establish();
  bob->session()->hangup();
  network.pump();
  EXPECT_EQ(alice->end->reason, SessionEndReason::RemoteBye);
  EXPECT_EQ(bob->end->reason, SessionEndReason::LocalBye);
  EXPECT_EQ(network.count("alice", "200/BYE"), 1u);
}

TEST_F(SessionTest, RejectedCall) {
  make_agents();
  bob->on_incoming = [](InviteSession& session) { session.reject(486); };
  alice->call(*bob, std::string("v=0 offer"));
  network.pump();
  ASSERT_TRUE(alice->end && bob->end);
  EXPECT_EQ(alice->end->reason, SessionEndReason::Rejected);
  EXPECT_EQ(alice->end->status, 486);
  EXPECT_EQ(network.count("alice", "ACK"), 1u);  // the transaction ACKs the 486
}

TEST_F(SessionTest, CancelBeforeAnswerGives487) {
  make_agents();
  bob->on_incoming = [](InviteSession& session) { session.ring(); };
  alice->call(*bob, std::string("v=0 offer"));
  network.pump();
  ASSERT_EQ(alice->session()->state(), InviteSessionState::Early);
  alice->session()->hangup();
  network.pump();
  ASSERT_TRUE(alice->end && bob->end);
  EXPECT_EQ(alice->end->reason, SessionEndReason::Cancelled);
  EXPECT_EQ(bob->end->reason, SessionEndReason::Cancelled);
  EXPECT_EQ(network.count("alice", "CANCEL"), 1u);
  EXPECT_EQ(network.count("bob", "200/CANCEL"), 1u);
  EXPECT_EQ(network.count("bob", "487/INVITE"), 1u);
}

TEST_F(SessionTest, OfferInTheTwoHundredIsAnsweredInTheAck) {
  make_agents();
  bob->offer_to_give = "v=0 bob offer";
  alice->answer_to_give = "v=0 alice answer";
  alice->call(*bob, std::nullopt);
  network.pump();
  ASSERT_EQ(bob->session()->state(), InviteSessionState::Established);
  EXPECT_TRUE(has_event(*alice, "offer:v=0 bob offer"));
  EXPECT_TRUE(has_event(*bob, "answer:v=0 alice answer"));
  EXPECT_EQ(bob->session()->offer_answer().remote_sdp(), "v=0 alice answer");
  EXPECT_TRUE(bob->session()->offer_answer().negotiated());
}

TEST_F(SessionTest, UasRetransmitsTwoHundredUntilAckThenSendsBye) {
  TransactionConfig txn;
  txn.retransmit_2xx = false;  // the session, not the layer, retransmits (RFC 3261 13.3.1.4)
  make_agents({}, {}, txn);
  network.drop = [](const std::string& from, const Message& m) {
    return from == "alice" && m.is_request() && m.method() == Method::Ack;
  };
  alice->call(*bob, std::string("v=0 offer"));
  network.pump();
  ASSERT_EQ(bob->session()->state(), InviteSessionState::Accepted);
  network.run_for(40s);
  // T1, doubling, capped at T2, for 64*T1.
  const std::vector<long> expected{0,     500,   1500,  3500,  7500, 11500,
                                   15500, 19500, 23500, 27500, 31500};
  EXPECT_EQ(network.times("bob", "200/INVITE"), expected);
  // Alice's UA core ACKs every 2xx it sees, retransmissions included.
  EXPECT_EQ(network.count("alice", "ACK"), expected.size());
  ASSERT_TRUE(bob->end.has_value());
  EXPECT_EQ(bob->end->reason, SessionEndReason::NoAck);
  EXPECT_EQ(network.times("bob", "BYE"), std::vector<long>{32000});
  EXPECT_EQ(alice->end->reason, SessionEndReason::RemoteBye);
}

TEST_F(SessionTest, LayerRetransmissionOfTwoHundredAlsoEndsInBye) {
  make_agents();  // retransmit_2xx = true: the transaction layer retransmits and reports NoAck
  network.drop = [](const std::string& from, const Message& m) {
    return from == "alice" && m.is_request() && m.method() == Method::Ack;
  };
  alice->call(*bob, std::string("v=0 offer"));
  network.run_for(40s);
  EXPECT_GE(network.count("bob", "200/INVITE"), 8u);
  EXPECT_EQ(network.count("alice", "ACK"), network.count("bob", "200/INVITE"));
  ASSERT_TRUE(bob->end.has_value());
  EXPECT_EQ(bob->end->reason, SessionEndReason::NoAck);
  EXPECT_EQ(network.count("bob", "BYE"), 1u);
}

TEST_F(SessionTest, AckStopsTheRetransmissions) {
  TransactionConfig txn;
  txn.retransmit_2xx = false;
  make_agents({}, {}, txn);
  int dropped = 0;
  network.drop = [&dropped](const std::string& from, const Message& m) {
    return from == "alice" && m.is_request() && m.method() == Method::Ack && dropped++ < 2;
  };
  alice->call(*bob, std::string("v=0 offer"));
  network.run_for(10s);
  EXPECT_EQ(network.times("bob", "200/INVITE"), (std::vector<long>{0, 500, 1500}));
  EXPECT_EQ(bob->session()->state(), InviteSessionState::Established);
  EXPECT_FALSE(bob->end.has_value());
}

TEST_F(SessionTest, ReInviteAndUpdateRenegotiate) {
  establish();
  bob->answer_to_give = "v=0 answer 2";
  ASSERT_TRUE(alice->session()->reinvite(std::string("v=0 offer 2")));
  EXPECT_FALSE(alice->session()->reinvite(std::string("again")));  // one at a time
  network.pump();
  ASSERT_EQ(alice->modified.size(), 1u);
  EXPECT_EQ(alice->modified[0], std::make_pair(Method::Invite, 200));
  EXPECT_EQ(alice->session()->offer_answer().remote_sdp(), "v=0 answer 2");
  EXPECT_EQ(bob->session()->offer_answer().remote_sdp(), "v=0 offer 2");
  EXPECT_EQ(network.count("alice", "ACK"), 2u);

  bob->offer_to_give = "unused";
  alice->answer_to_give = "v=0 answer 3";
  ASSERT_TRUE(bob->session()->update(std::string("v=0 offer 3")));
  network.pump();
  ASSERT_EQ(bob->modified.size(), 1u);
  EXPECT_EQ(bob->modified[0], std::make_pair(Method::Update, 200));
  EXPECT_EQ(bob->session()->offer_answer().remote_sdp(), "v=0 answer 3");
  EXPECT_EQ(alice->session()->offer_answer().remote_sdp(), "v=0 offer 3");
  // CSeq spaces are per direction: Bob's first request of the dialog is his CSeq 1.
  EXPECT_EQ(alice->session()->dialog()->remote_cseq(), 1u);
}

TEST_F(SessionTest, ReInviteRejectedKeepsTheCallAndTheOldDescription) {
  establish();
  bob->answer_to_give.clear();  // Bob refuses the new offer: 488
  ASSERT_TRUE(alice->session()->reinvite(std::string("v=0 unacceptable")));
  network.pump();
  ASSERT_EQ(alice->modified.size(), 1u);
  EXPECT_EQ(alice->modified[0].second, 488);
  EXPECT_EQ(alice->session()->state(), InviteSessionState::Established);
  EXPECT_EQ(alice->session()->offer_answer().remote_sdp(), "v=0 answer");
  EXPECT_TRUE(alice->session()->offer_answer().idle());
  EXPECT_TRUE(bob->session()->offer_answer().idle());
}

TEST_F(SessionTest, GlareGets491AndBothSidesRetryAfterTheirBackOff) {
  establish();
  ASSERT_TRUE(alice->session()->reinvite(std::string("v=0 alice 2")));
  ASSERT_TRUE(bob->session()->reinvite(std::string("v=0 bob 2")));
  network.pump();
  EXPECT_EQ(network.count("alice", "491/INVITE"), 1u);
  EXPECT_EQ(network.count("bob", "491/INVITE"), 1u);
  EXPECT_TRUE(alice->modified.empty());
  EXPECT_TRUE(bob->modified.empty());
  network.run_for(5s);
  ASSERT_EQ(alice->modified.size(), 1u);
  ASSERT_EQ(bob->modified.size(), 1u);
  EXPECT_EQ(alice->modified[0].second, 200);
  EXPECT_EQ(bob->modified[0].second, 200);
  // RFC 3261 14.1: Bob (not the Call-ID owner) retries within 2 s, Alice after 2.1-4 s.
  const auto bob_invites = network.times("bob", "INVITE");
  const auto alice_invites = network.times("alice", "INVITE");
  ASSERT_EQ(bob_invites.size(), 2u);
  ASSERT_EQ(alice_invites.size(), 3u);  // initial, glare, retry
  EXPECT_LE(bob_invites[1], 2000);
  EXPECT_GE(alice_invites[2], 2100);
  EXPECT_LE(alice_invites[2], 4000);
}

TEST_F(SessionTest, InDialogRequestWithOldCSeqGets500) {
  establish();
  // Replay Alice's BYE-to-be with a CSeq below what Bob has seen: build it by hand.
  const Dialog& dialog = *alice->session()->dialog();
  Message stale = Message::request(Method::Info, dialog.remote_target());
  stale.set_header(HeaderId::MaxForwards, "70");
  stale.set_from(dialog.local_party());
  stale.set_to(dialog.remote_party());
  stale.set_header(HeaderId::CallId, dialog.id().call_id);
  stale.set_cseq(CSeq{0, Method::Info, "INFO"});
  int status = 0;
  ClientCallbacks callbacks;
  callbacks.on_response = [&status](const Message& r) { status = r.status(); };
  alice->layer->send_request(std::move(stale), bob->endpoint, callbacks);
  network.pump();
  EXPECT_EQ(status, 500);
  EXPECT_EQ(bob->session()->state(), InviteSessionState::Established);
}

TEST_F(SessionTest, RequestForUnknownDialogGets481) {
  establish();
  const Dialog& dialog = *alice->session()->dialog();
  Message bye = Message::request(Method::Bye, dialog.remote_target());
  bye.set_header(HeaderId::MaxForwards, "70");
  bye.set_from(dialog.local_party());
  NameAddr to = dialog.remote_party();
  set_param(to.params, "tag", "nosuchtag");
  bye.set_to(to);
  bye.set_header(HeaderId::CallId, dialog.id().call_id);
  bye.set_cseq(CSeq{50, Method::Bye, "BYE"});
  int status = 0;
  ClientCallbacks callbacks;
  callbacks.on_response = [&status](const Message& r) { status = r.status(); };
  alice->layer->send_request(std::move(bye), bob->endpoint, callbacks);
  network.pump();
  EXPECT_EQ(status, 481);
}

}  // namespace
}  // namespace kolokol::sip::testing

namespace kolokol::sip::testing {
namespace {

TEST_F(SessionTest, SecondForkAnsweringIsAckedAndHungUp) {
  make_agents();
  std::optional<Message> bob_ok;
  network.drop = [&bob_ok](const std::string& from, const Message& m) {
    if (from == "bob" && m.is_response() && m.status() == 200 && !bob_ok) bob_ok = m.clone();
    return false;
  };
  alice->call(*bob, std::string("v=0 offer"));
  network.pump();
  ASSERT_TRUE(bob_ok.has_value());
  ASSERT_EQ(alice->session()->state(), InviteSessionState::Established);
  // The same 2xx as if a second branch of a forking proxy had answered: another To tag.
  Message forked = bob_ok->clone();
  forked.set_to_tag("other-fork");
  alice->layer->on_message(std::move(forked), Source{bob->endpoint, alice->endpoint, 0});
  network.pump();
  EXPECT_EQ(network.count("alice", "ACK"), 2u);
  EXPECT_EQ(network.count("alice", "BYE"), 1u);
  EXPECT_EQ(network.count("bob", "481/BYE"), 1u);  // Bob knows no such dialog
  // The answered call itself is untouched.
  EXPECT_EQ(alice->session()->state(), InviteSessionState::Established);
  EXPECT_FALSE(alice->end.has_value());
}

}  // namespace
}  // namespace kolokol::sip::testing
