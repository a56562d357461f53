// The B2BUA between real SessionManagers over the dialog tests' FakeNetwork: Alice calls through
// the PBX agent; Bob (and Carol, a second contact of the same callee) answer, refuse or ring.
#include "call/b2bua.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "sip/dialog/session_test_support.h"
#include "sip/dialog/uri_endpoint.h"
#include "sip/msg/message.h"

namespace kolokol::call {
namespace {

using sip::testing::Agent;
using sip::testing::FakeNetwork;
using namespace std::chrono_literals;

class B2buaTest : public ::testing::Test {
 protected:
  B2buaTest() {
    alice = make_agent("alice", "10.0.0.2");
    pbx = make_agent("pbx", "10.0.0.1");
    bob = make_agent("bob", "10.0.0.3");
    carol = make_agent("carol", "10.0.0.4");
    B2buaConfig config;
    config.ring_timeout = 30s;
    b2bua = std::make_unique<B2bua>(
        *pbx->manager, timers, metrics, base::Logger{},
        [this](const CallerIdentity&, const sip::Message&) { return route; },
        [this](storage::CallRecord record) { records.push_back(std::move(record)); }, config,
        [this] { return static_cast<storage::UnixSeconds>(network.now_ms() / 1000); });
  }

  std::unique_ptr<Agent> make_agent(std::string name, std::string address) {
    return std::make_unique<Agent>(network, std::move(name),
                                   sip::Endpoint{sip::Transport::Udp, std::move(address), 5060},
                                   sip::InviteSessionConfig{}, sip::TransactionConfig{});
  }

  ForkTarget target(const Agent& agent) {
    ForkTarget out;
    out.request_uri = *sip::parse_uri("sip:" + agent.name + "@" + agent.endpoint.address);
    out.destination = agent.endpoint;
    out.contact = sip::contact_for_endpoint(pbx->endpoint);
    return out;
  }

  void ring(std::vector<const Agent*> callees) {
    route = {};
    route.kind = RouteDecision::Kind::Ring;
    route.callee = "1002";
    for (const Agent* callee : callees) route.targets.push_back(target(*callee));
  }

  // Alice (extension 1001) dials 1002.
  void dial(std::optional<std::string> offer = std::string("v=0 alice")) {
    b2bua->expect_caller({7, "pbx.test", "1001", "Alice"});
    ASSERT_NE(alice->call(*pbx, std::move(offer)), nullptr);
    network.pump();
  }

  sip::InviteSession* alice_leg() { return alice->session(); }

  base::ManualTimerService timers;
  FakeNetwork network{timers};
  base::MetricsRegistry metrics;
  std::unique_ptr<Agent> alice, pbx, bob, carol;
  RouteDecision route;
  std::vector<storage::CallRecord> records;
  std::unique_ptr<B2bua> b2bua;
};

TEST_F(B2buaTest, AnsweredCallCarriesSdpBothWaysAndByeFromCaller) {
  ring({bob.get()});
  bob->answer_to_give = "v=0 bob";
  dial();
  ASSERT_EQ(alice_leg()->state(), sip::InviteSessionState::Established);
  ASSERT_EQ(bob->session()->state(), sip::InviteSessionState::Established);
  EXPECT_EQ(bob->session()->offer_answer().remote_sdp(), "v=0 alice");
  EXPECT_EQ(alice_leg()->offer_answer().remote_sdp(), "v=0 bob");
  EXPECT_NE(alice_leg()->call_id(), bob->session()->call_id());  // two dialogs, not a proxy
  EXPECT_EQ(network.count("pbx", "180/INVITE"), 1u);
  ASSERT_EQ(b2bua->calls().size(), 1u);
  EXPECT_EQ(b2bua->calls()[0].state, "answered");

  network.run_for(5s, 1s);
  alice_leg()->hangup();
  network.pump();
  ASSERT_TRUE(bob->end);
  EXPECT_EQ(bob->end->reason, sip::SessionEndReason::RemoteBye);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].disposition, storage::Disposition::Answered);
  EXPECT_EQ(records[0].caller, "1001");
  EXPECT_EQ(records[0].callee, "1002");
  EXPECT_EQ(records[0].ended_by, "caller");
  EXPECT_EQ(records[0].duration_ms, 5000);
  EXPECT_EQ(records[0].tenant_id, 7);
  EXPECT_FALSE(records[0].chain_id.empty());
  EXPECT_EQ(b2bua->active_calls(), 0u);
}

TEST_F(B2buaTest, EarlyMediaSdpOfAnUnreliable183ReachesTheCaller) {
  ring({bob.get()});
  bob->on_incoming = [](sip::InviteSession& session) { session.progress("v=0 bob early"); };
  dial();
  EXPECT_EQ(network.count("pbx", "183/INVITE"), 1u);
  ASSERT_FALSE(alice->provisional_bodies.empty());
  EXPECT_EQ(alice->provisional_bodies.back(), "v=0 bob early");
  bob->session()->accept();
  network.pump();
  EXPECT_EQ(alice_leg()->state(), sip::InviteSessionState::Established);
}

TEST_F(B2buaTest, ByeFromCalleeEndsTheCaller) {
  ring({bob.get()});
  dial();
  bob->session()->hangup();
  network.pump();
  ASSERT_TRUE(alice->end);
  EXPECT_EQ(alice->end->reason, sip::SessionEndReason::RemoteBye);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].ended_by, "callee");
}

TEST_F(B2buaTest, BusyCalleeGivesTheCaller486) {
  ring({bob.get()});
  bob->on_incoming = [](sip::InviteSession& session) { session.reject(486); };
  dial();
  ASSERT_TRUE(alice->end);
  EXPECT_EQ(alice->end->status, 486);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].disposition, storage::Disposition::Busy);
  EXPECT_EQ(records[0].sip_status, 486);
}

TEST_F(B2buaTest, NotFoundAndUnavailableComeFromRouting) {
  route = {};
  route.kind = RouteDecision::Kind::NotFound;
  route.callee = "999";
  dial();
  ASSERT_TRUE(alice->end);
  EXPECT_EQ(alice->end->status, 404);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].disposition, storage::Disposition::NotFound);
}

TEST_F(B2buaTest, CallerCancelWhileRingingCancelsEveryFork) {
  ring({bob.get(), carol.get()});
  bob->on_incoming = [](sip::InviteSession& session) { session.ring(); };
  carol->on_incoming = [](sip::InviteSession& session) { session.ring(); };
  dial();
  EXPECT_EQ(alice_leg()->state(), sip::InviteSessionState::Early);
  alice_leg()->cancel();
  network.pump();
  ASSERT_TRUE(alice->end && bob->end && carol->end);
  EXPECT_EQ(alice->end->reason, sip::SessionEndReason::Cancelled);
  EXPECT_EQ(bob->end->reason, sip::SessionEndReason::Cancelled);
  EXPECT_EQ(carol->end->reason, sip::SessionEndReason::Cancelled);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].disposition, storage::Disposition::Cancelled);
  EXPECT_EQ(records[0].ended_by, "caller");
}

TEST_F(B2buaTest, FirstForkToAnswerWinsTheOthersAreCancelled) {
  ring({bob.get(), carol.get()});
  bob->on_incoming = [](sip::InviteSession& session) { session.ring(); };
  carol->answer_to_give = "v=0 carol";
  dial();
  ASSERT_EQ(alice_leg()->state(), sip::InviteSessionState::Established);
  EXPECT_EQ(alice_leg()->offer_answer().remote_sdp(), "v=0 carol");
  ASSERT_TRUE(bob->end);
  EXPECT_EQ(bob->end->reason, sip::SessionEndReason::Cancelled);
  EXPECT_EQ(carol->session()->state(), sip::InviteSessionState::Established);
  EXPECT_TRUE(records.empty());
}

TEST_F(B2buaTest, RingTimeoutGivesNoAnswer) {
  ring({bob.get()});
  bob->on_incoming = [](sip::InviteSession& session) { session.ring(); };
  dial();
  network.run_for(31s, 1s);
  ASSERT_TRUE(alice->end);
  EXPECT_EQ(alice->end->status, 480);
  ASSERT_TRUE(bob->end);
  EXPECT_EQ(bob->end->reason, sip::SessionEndReason::Cancelled);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].disposition, storage::Disposition::NoAnswer);
  EXPECT_EQ(records[0].end_reason, "ring-timeout");
}

TEST_F(B2buaTest, EveryForkFailingPicksTheMostTellingStatus) {
  ring({bob.get(), carol.get()});
  bob->on_incoming = [](sip::InviteSession& session) { session.reject(486); };
  carol->on_incoming = [](sip::InviteSession& session) { session.reject(503); };
  dial();
  ASSERT_TRUE(alice->end);
  EXPECT_EQ(alice->end->status, 486);
}

TEST_F(B2buaTest, ReInviteAndUpdateAreRelayedToTheOtherLeg) {
  ring({bob.get()});
  dial();
  bob->answer_to_give = "v=0 bob 2";
  ASSERT_TRUE(alice_leg()->reinvite(std::string("v=0 alice 2")));
  network.pump();
  ASSERT_EQ(alice->modified.size(), 1u);
  EXPECT_EQ(alice->modified[0].second, 200);
  EXPECT_EQ(bob->session()->offer_answer().remote_sdp(), "v=0 alice 2");
  EXPECT_EQ(alice_leg()->offer_answer().remote_sdp(), "v=0 bob 2");

  alice->answer_to_give = "v=0 alice 3";
  ASSERT_TRUE(bob->session()->update(std::string("v=0 bob 3")));
  network.pump();
  ASSERT_EQ(bob->modified.size(), 1u);
  EXPECT_EQ(bob->modified[0].second, 200);
  EXPECT_EQ(alice_leg()->offer_answer().remote_sdp(), "v=0 bob 3");
  EXPECT_EQ(bob->session()->offer_answer().remote_sdp(), "v=0 alice 3");

  bob->answer_to_give.clear();  // Bob refuses: Alice gets his 488
  ASSERT_TRUE(alice_leg()->reinvite(std::string("v=0 unacceptable")));
  network.pump();
  ASSERT_EQ(alice->modified.size(), 2u);
  EXPECT_EQ(alice->modified[1].second, 488);
  EXPECT_EQ(alice_leg()->state(), sip::InviteSessionState::Established);
}

TEST_F(B2buaTest, InviteWithoutAuthenticatedCallerIsRefused) {
  ring({bob.get()});
  ASSERT_NE(alice->call(*pbx, std::string("v=0")), nullptr);
  network.pump();
  ASSERT_TRUE(alice->end);
  EXPECT_EQ(alice->end->status, 403);
  EXPECT_EQ(network.count("pbx", "INVITE"), 0u);
}

TEST_F(B2buaTest, OfferlessInviteIsRefusedUntilMediaAnchoring) {
  ring({bob.get()});
  dial(std::nullopt);
  ASSERT_TRUE(alice->end);
  EXPECT_EQ(alice->end->status, 488);
  EXPECT_EQ(network.count("pbx", "INVITE"), 0u);
}

TEST_F(B2buaTest, VanishedCalleeStillEndsTheCallWithARecord) {
  // Bob vanishes after answering: the PBX's BYE times out, the call still ends with a record.
  ring({bob.get()});
  dial();
  network.drop = [](const std::string& from, const sip::Message&) { return from == "bob"; };
  alice_leg()->hangup();
  network.run_for(40s, 1s);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(b2bua->active_calls(), 0u);
}

}  // namespace
}  // namespace kolokol::call
