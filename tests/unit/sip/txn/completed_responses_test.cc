#include "txn_test_support.h"

namespace kolokol::sip::testing {
namespace {

using namespace std::chrono_literals;
using CompletedNonInviteTest = TxnTest;

RequestSpec request_spec(std::string method, std::string branch = "z9hG4bKbranch1") {
  RequestSpec spec;
  spec.method = std::move(method);
  spec.branch = std::move(branch);
  return spec;
}

TEST_F(CompletedNonInviteTest, RetiredTransactionsExpireInOrderWithOneTimer) {
  layer->on_message(make_request(request_spec("REGISTER", "z9hG4bKa")), udp_source());
  user.requests.at(0).respond(200, {}, "t");
  timers.advance(10s);
  RequestSpec second = request_spec("REGISTER", "z9hG4bKb");
  second.cseq = 2;
  layer->on_message(make_request(second), udp_source());
  user.requests.at(1).respond(200, {}, "t");
  EXPECT_EQ(layer->active_server_transactions(), 2u);
  EXPECT_EQ(active_gauge(), 2);
  EXPECT_EQ(timers.pending(), 1u);  // one sweep timer for both

  timers.advance(22s);  // the first reaches Timer J
  EXPECT_EQ(layer->active_server_transactions(), 1u);
  layer->on_message(make_request(request_spec("REGISTER", "z9hG4bKa")), udp_source());
  EXPECT_EQ(user.requests.size(), 3u);  // the first one's key is free again: a new request
  layer->on_message(make_request(second), udp_source());
  EXPECT_EQ(user.requests.size(), 3u);  // the second still absorbs
  EXPECT_EQ(response_statuses(), (std::vector<int>{200, 200, 200}));
  EXPECT_EQ(counter("sip_retransmissions_total", {{"direction", "in"}}), 1u);

  user.requests.at(2).respond(200, {}, "t");
  timers.advance(32s);
  EXPECT_EQ(layer->active_server_transactions(), 0u);
  EXPECT_EQ(active_gauge(), 0);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(CompletedNonInviteTest, RetransmissionIsAnsweredWhereItCameFrom) {
  layer->on_message(make_request(request_spec("OPTIONS")), udp_source());
  user.requests.at(0).respond(200, {}, "t");
  Source moved = udp_source();
  moved.remote.port = 5999;
  layer->on_message(make_request(request_spec("OPTIONS")), moved);
  ASSERT_EQ(sink.responses.size(), 2u);
  EXPECT_EQ(sink.responses[1].destination.remote.port, 5999);
  fail_response(1);  // a lost re-sent response still reaches the TU, by transaction id
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_EQ(user.failures[0].first, user.requests.at(0));
}

TEST_F(CompletedNonInviteTest, MergedRequestDetectedOnlyWhileUnanswered) {
  layer->on_message(make_request(request_spec("REGISTER")), udp_source());
  RequestSpec looped = request_spec("REGISTER", "z9hG4bKother");
  looped.via_host = "192.0.2.99";
  layer->on_message(make_request(looped), udp_source());  // 8.2.2.2: same From tag, Call-ID, CSeq
  EXPECT_EQ(response_statuses(), (std::vector<int>{482}));
  user.requests.at(0).respond(200, {}, "t");
  RequestSpec later = request_spec("REGISTER", "z9hG4bKthird");
  later.via_host = "192.0.2.98";
  layer->on_message(make_request(later), udp_source());  // the first is retired: a new request
  EXPECT_EQ(user.requests.size(), 2u);
}

TEST_F(CompletedNonInviteTest, PastCapacityTheOldestGoesEarly) {
  TransactionConfig config;
  config.max_completed_responses = 2;
  reset(config);
  for (int i = 0; i < 3; ++i) {
    RequestSpec spec = request_spec("OPTIONS", "z9hG4bKcap" + std::to_string(i));
    spec.cseq = static_cast<std::uint32_t>(i + 1);
    layer->on_message(make_request(spec), udp_source());
    user.requests.back().respond(200, {}, "t");
  }
  EXPECT_EQ(layer->active_server_transactions(), 2u);
  EXPECT_EQ(active_gauge(), 2);
  RequestSpec first = request_spec("OPTIONS", "z9hG4bKcap0");
  layer->on_message(make_request(first), udp_source());
  EXPECT_EQ(user.requests.size(), 4u);  // forgotten: handled as a new request
  RequestSpec last = request_spec("OPTIONS", "z9hG4bKcap2");
  last.cseq = 3;
  layer->on_message(make_request(last), udp_source());
  EXPECT_EQ(user.requests.size(), 4u);  // still absorbed
  timers.advance(32s);
  EXPECT_EQ(timers.pending(), 0u);
  EXPECT_EQ(active_gauge(), 1);  // the re-handled first one is still Trying
}

TEST_F(CompletedNonInviteTest, CancelRetransmissionAbsorbedAfterCompletion) {
  layer->on_message(make_request(request_spec("INVITE")), udp_source());
  layer->on_message(make_request(request_spec("CANCEL")), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 200}));
  ASSERT_EQ(user.cancels.size(), 1u);
  layer->on_message(make_request(request_spec("CANCEL")), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 200, 200}));
  EXPECT_EQ(user.cancels.size(), 1u);
}

TEST_F(CompletedNonInviteTest, ForgottenChallengeLeavesNothingBehind) {
  layer->on_message(make_request(request_spec("REGISTER")), udp_source());
  ServerTransaction txn = user.requests.at(0);
  EXPECT_TRUE(txn.respond_and_forget(make_response(*txn.request(), 401)));
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
  layer->on_message(make_request(request_spec("REGISTER")), udp_source());
  EXPECT_EQ(user.requests.size(), 2u);  // the retransmission is a new request: a fresh challenge
}

TEST_F(CompletedNonInviteTest, ForgetIsRefusedForInviteAndProvisionals) {
  layer->on_message(make_request(request_spec("INVITE")), udp_source());
  ServerTransaction invite = user.requests.at(0);
  EXPECT_FALSE(invite.respond_and_forget(make_response(*invite.request(), 407)));
  EXPECT_TRUE(invite.alive());
  layer->on_message(make_request(request_spec("OPTIONS", "z9hG4bKo")), udp_source());
  ServerTransaction options = user.requests.at(1);
  EXPECT_FALSE(options.respond_and_forget(make_response(*options.request(), 100)));
  EXPECT_TRUE(options.alive());
}

}  // namespace
}  // namespace kolokol::sip::testing
