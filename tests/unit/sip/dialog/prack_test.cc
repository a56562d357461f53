#include <gtest/gtest.h>

#include <algorithm>

#include "session_test_support.h"

namespace kolokol::sip::testing {
namespace {

class PrackTest : public SessionTest {
 protected:
  void SetUp() override {
    InviteSessionConfig alice_config;
    alice_config.require_100rel = true;
    make_agents(alice_config, {});
  }
};

bool has_event(const Agent& agent, std::string_view event) {
  return std::find(agent.events.begin(), agent.events.end(), event) != agent.events.end();
}

TEST_F(PrackTest, ReliableRingingCarriesTheAnswerAndIsPracked) {
  bob->on_incoming = [](InviteSession& session) { session.ring(); };
  alice->call(*bob, std::string("v=0 offer"));
  network.pump();
  EXPECT_EQ(network.count("bob", "180/INVITE"), 1u);
  EXPECT_EQ(network.count("alice", "PRACK"), 1u);
  EXPECT_EQ(network.count("bob", "200/PRACK"), 1u);
  // Early offer/answer: the answer came in the reliable 180.
  EXPECT_TRUE(has_event(*alice, "answer:v=0 answer"));
  EXPECT_TRUE(alice->session()->offer_answer().negotiated());
  EXPECT_EQ(alice->session()->state(), InviteSessionState::Early);

  network.run_for(5s);  // PRACKed: no retransmission of the 180
  EXPECT_EQ(network.count("bob", "180/INVITE"), 1u);

  bob->session()->accept();
  network.pump();
  EXPECT_EQ(alice->session()->state(), InviteSessionState::Established);
  EXPECT_EQ(bob->session()->state(), InviteSessionState::Established);
}

TEST_F(PrackTest, AcceptWaitsForThePrack) {
  // Default on_incoming: ring() then accept() at once; the 2xx follows the PRACK.
  alice->call(*bob, std::string("v=0 offer"));
  network.pump();
  EXPECT_EQ(alice->session()->state(), InviteSessionState::Established);
  ASSERT_GE(network.log.size(), 5u);
  std::vector<std::string> bob_sent;
  for (const auto& sent : network.log) {
    if (sent.from == "bob") bob_sent.push_back(sent.summary);
  }
  const auto prack_ok = std::find(bob_sent.begin(), bob_sent.end(), "200/PRACK");
  const auto invite_ok = std::find(bob_sent.begin(), bob_sent.end(), "200/INVITE");
  ASSERT_NE(prack_ok, bob_sent.end());
  ASSERT_NE(invite_ok, bob_sent.end());
  EXPECT_LT(prack_ok, invite_ok);
}

TEST_F(PrackTest, LostPrackIsRetransmittedAndTheRinging180Too) {
  bob->on_incoming = [](InviteSession& session) { session.ring(); };
  int prack_drops = 0;
  network.drop = [&prack_drops](const std::string& from, const Message& m) {
    return from == "alice" && m.is_request() && m.method() == Method::Prack && prack_drops++ < 1;
  };
  alice->call(*bob, std::string("v=0 offer"));
  network.run_for(3s);
  // Bob retransmits the 180 at T1 until the PRACK arrives (the PRACK's own Timer E resends it
  // at 500 ms); the retransmitted 180 is not PRACKed again by Alice.
  EXPECT_EQ(network.times("bob", "180/INVITE"), (std::vector<long>{0, 500}));
  EXPECT_EQ(network.count("alice", "PRACK"), 2u);
  EXPECT_EQ(network.count("bob", "200/PRACK"), 1u);
  bob->session()->accept();
  network.pump();
  EXPECT_EQ(alice->session()->state(), InviteSessionState::Established);
}

TEST_F(PrackTest, NoPrackAtAllRejectsTheInviteAfter64T1) {
  bob->on_incoming = [](InviteSession& session) {
    session.ring();
    session.accept();
  };
  network.drop = [](const std::string& from, const Message& m) {
    return from == "alice" && m.is_request() && m.method() == Method::Prack;
  };
  alice->call(*bob, std::string("v=0 offer"));
  network.run_for(40s);
  EXPECT_EQ(network.times("bob", "180/INVITE"),
            (std::vector<long>{0, 500, 1500, 3500, 7500, 15500, 31500}));
  EXPECT_EQ(network.times("bob", "504/INVITE"), std::vector<long>{32000});
  ASSERT_TRUE(bob->end.has_value());
  EXPECT_EQ(bob->end->status, 504);
  ASSERT_TRUE(alice->end.has_value());
  EXPECT_EQ(alice->end->reason, SessionEndReason::Rejected);
  EXPECT_EQ(alice->end->status, 504);
  EXPECT_EQ(network.count("bob", "200/INVITE"), 0u);
}

TEST_F(PrackTest, PrackThatMatchesNothingGets481) {
  bob->on_incoming = [](InviteSession& session) { session.ring(); };
  alice->call(*bob, std::string("v=0 offer"));
  network.pump();
  // A second PRACK for the same RSeq (already acknowledged) matches nothing.
  const Dialog& early = *bob->session()->dialog();
  Message prack = Message::request(Method::Prack, early.remote_target());
  prack.set_header(HeaderId::MaxForwards, "70");
  prack.set_from(early.remote_party());
  prack.set_to(early.local_party());
  prack.set_header(HeaderId::CallId, early.id().call_id);
  prack.set_cseq(CSeq{10, Method::Prack, "PRACK"});
  prack.set_header(HeaderId::RAck, "1 1 INVITE");
  int status = 0;
  ClientCallbacks callbacks;
  callbacks.on_response = [&status](const Message& r) { status = r.status(); };
  alice->layer->send_request(std::move(prack), bob->endpoint, callbacks);
  network.pump();
  EXPECT_EQ(status, 481);
}

TEST_F(PrackTest, UnsupportedRequireGets420) {
  InviteSessionConfig no_prack;
  no_prack.support_100rel = false;
  bob.reset();
  alice.reset();
  network.drop = nullptr;
  InviteSessionConfig alice_config;
  alice_config.require_100rel = true;
  alice = std::make_unique<Agent>(network, "alice2", Endpoint{Transport::Udp, "127.0.0.3", 5060},
                                  alice_config, TransactionConfig{});
  bob = std::make_unique<Agent>(network, "bob2", Endpoint{Transport::Udp, "127.0.0.4", 5060},
                                no_prack, TransactionConfig{});
  alice->call(*bob, std::string("v=0 offer"));
  network.pump();
  ASSERT_TRUE(alice->end.has_value());
  EXPECT_EQ(alice->end->status, 420);
}

}  // namespace
}  // namespace kolokol::sip::testing
