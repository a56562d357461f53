#include "sip/dialog/session_timer.h"

#include <gtest/gtest.h>

#include "session_test_support.h"

namespace kolokol::sip::testing {
namespace {

TEST(SessionTimerHeaders, ParseAndFormat) {
  auto se = parse_session_expires("1800;refresher=uas");
  ASSERT_TRUE(se.has_value());
  EXPECT_EQ(se->interval, 1800u);
  EXPECT_EQ(se->refresher, Refresher::Uas);
  EXPECT_EQ(se->to_string(), "1800;refresher=uas");
  auto bare = parse_session_expires(" 90 ");
  ASSERT_TRUE(bare.has_value());
  EXPECT_FALSE(bare->refresher.has_value());
  EXPECT_TRUE(parse_session_expires("x;refresher=uac") == std::nullopt);
  EXPECT_TRUE(parse_session_expires("0") == std::nullopt);
  EXPECT_EQ(parse_session_expires("600;foo=bar;refresher=UAC")->refresher, Refresher::Uac);
  EXPECT_EQ(session_expiry_guard(1800), 1768u);
  EXPECT_EQ(session_expiry_guard(90), 60u);
}

class SessionTimerTest : public SessionTest {};

TEST_F(SessionTimerTest, UacAsksAndRefreshesWithUpdateAtHalfTheInterval) {
  InviteSessionConfig alice_config;
  alice_config.session_expires = 1800;
  make_agents(alice_config, {});
  establish();
  ASSERT_EQ(alice->session()->session_interval(), 1800u);
  EXPECT_TRUE(alice->session()->we_refresh());
  ASSERT_EQ(bob->session()->session_interval(), 1800u);
  EXPECT_FALSE(bob->session()->we_refresh());

  network.run_for(899s, 1s);
  EXPECT_EQ(network.count("alice", "UPDATE"), 0u);
  network.run_for(2s, 1s);
  EXPECT_EQ(network.count("alice", "UPDATE"), 1u);
  EXPECT_EQ(network.count("bob", "200/UPDATE"), 1u);
  // Refreshed every 900 s, the session outlives its first interval by far.
  network.run_for(3600s, 1s);
  EXPECT_EQ(network.count("alice", "UPDATE"), 5u);
  EXPECT_EQ(bob->session()->state(), InviteSessionState::Established);
  EXPECT_FALSE(bob->end.has_value());
}

TEST_F(SessionTimerTest, TooSmallIntervalGets422AndTheUacRetriesWithMinSE) {
  InviteSessionConfig alice_config;
  alice_config.session_expires = 120;
  InviteSessionConfig bob_config;
  bob_config.min_se = 600;
  make_agents(alice_config, bob_config);
  alice->call(*bob, std::string("v=0 offer"));
  network.pump();
  EXPECT_EQ(network.count("bob", "422/INVITE"), 1u);
  EXPECT_EQ(network.count("alice", "INVITE"), 2u);
  ASSERT_NE(alice->session(), nullptr);
  EXPECT_EQ(alice->session()->state(), InviteSessionState::Established);
  EXPECT_EQ(alice->session()->session_interval(), 600u);
  ASSERT_NE(bob->session(), nullptr);
  EXPECT_EQ(bob->session()->session_interval(), 600u);
  EXPECT_EQ(alice->session()->dialog()->local_cseq(), 2u);  // the retry used the next CSeq
}

TEST_F(SessionTimerTest, UasImposesATimerAndRefreshesItselfWhenTheUacCannot) {
  InviteSessionConfig bob_config;
  bob_config.session_expires = 300;
  make_agents({}, bob_config);
  establish();
  // Alice supports timer (Supported: timer), so Bob lets her refresh.
  EXPECT_EQ(alice->session()->session_interval(), 300u);
  EXPECT_TRUE(alice->session()->we_refresh());
  network.run_for(151s, 1s);
  EXPECT_EQ(network.count("alice", "UPDATE"), 1u);
}

TEST_F(SessionTimerTest, SilentRefresherMakesTheOtherSideSendByeAtExpiry) {
  InviteSessionConfig alice_config;
  alice_config.session_expires = 1800;
  make_agents(alice_config, {});
  establish();
  network.drop = [](const std::string& from, const Message&) { return from == "alice"; };
  network.run_for(1767s, 1s);
  EXPECT_FALSE(bob->end.has_value());
  network.run_for(2s, 1s);
  ASSERT_TRUE(bob->end.has_value());
  EXPECT_EQ(bob->end->reason, SessionEndReason::SessionExpired);
  // RFC 4028 10: interval - min(32, interval/3) seconds after the last refresh.
  ASSERT_FALSE(network.times("bob", "BYE").empty());  // retransmitted: Alice is gone
  EXPECT_EQ(network.times("bob", "BYE").front(), 1768000);
}

TEST_F(SessionTimerTest, RefreshThatTimesOutEndsTheSessionFromTheRefresher) {
  InviteSessionConfig alice_config;
  alice_config.session_expires = 1800;
  make_agents(alice_config, {});
  establish();
  network.drop = [](const std::string& from, const Message& m) {
    return from == "alice" && m.is_request() && m.method() == Method::Update;
  };
  network.run_for(940s, 1s);
  ASSERT_TRUE(alice->end.has_value());
  EXPECT_EQ(alice->end->reason, SessionEndReason::Timeout);
  EXPECT_EQ(network.count("alice", "BYE"), 1u);
  ASSERT_TRUE(bob->end.has_value());
  EXPECT_EQ(bob->end->reason, SessionEndReason::RemoteBye);
}

TEST_F(SessionTimerTest, RefreshByReInviteWhenThePeerDoesNotAllowUpdate) {
  InviteSessionConfig alice_config;
  alice_config.session_expires = 600;
  InviteSessionConfig bob_config;
  bob_config.allow = "INVITE, ACK, CANCEL, BYE, OPTIONS";
  make_agents(alice_config, bob_config);
  establish();
  network.run_for(301s, 1s);
  EXPECT_EQ(network.count("alice", "UPDATE"), 0u);
  EXPECT_EQ(network.count("alice", "INVITE"), 2u);
  EXPECT_EQ(network.count("alice", "ACK"), 2u);
  EXPECT_EQ(alice->session()->offer_answer().remote_sdp(), "v=0 answer");
}

}  // namespace
}  // namespace kolokol::sip::testing
