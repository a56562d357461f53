#include "txn_test_support.h"

namespace kolokol::sip::testing {
namespace {

using ServerNonInviteTest = TxnTest;

RequestSpec options() {
  RequestSpec spec;
  spec.method = "OPTIONS";
  return spec;
}

TEST_F(ServerNonInviteTest, RetransmissionsAbsorbedThenLastResponseResent) {
  layer->on_message(make_request(options()), udp_source());
  ASSERT_EQ(user.requests.size(), 1u);
  EXPECT_TRUE(sink.responses.empty());                       // no 100 Trying for non-INVITE
  layer->on_message(make_request(options()), udp_source());  // Trying: absorbed
  EXPECT_TRUE(sink.responses.empty());
  EXPECT_EQ(user.requests.size(), 1u);

  ServerTransaction txn = user.requests[0];
  EXPECT_TRUE(txn.respond(100));
  layer->on_message(make_request(options()), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 100}));
  EXPECT_TRUE(txn.respond(200, {}, "t"));
  EXPECT_FALSE(txn.respond(200, {}, "t"));
  layer->on_message(make_request(options()), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 100, 200, 200}));
  EXPECT_EQ(counter("sip_transactions_total", {{"kind", "server_non_invite"}}), 1u);
}

TEST_F(ServerNonInviteTest, TimerJIs64T1OnUdp) {
  layer->on_message(make_request(options()), udp_source());
  ServerTransaction txn = user.requests.at(0);
  txn.respond(200, {}, "t");
  // Completed over UDP: the TU's part is over, only the response is kept to absorb
  // retransmissions until Timer J.
  EXPECT_FALSE(txn.alive());
  timers.advance(31999ms);
  EXPECT_EQ(layer->active_transactions(), 1u);
  EXPECT_EQ(sink.responses.size(), 1u);  // a non-INVITE final is never retransmitted by timer
  layer->on_message(make_request(options()), udp_source());
  ASSERT_EQ(sink.responses.size(), 2u);  // the retransmission got the same response again
  EXPECT_EQ(sink.responses[1].message.to_string(), sink.responses[0].message.to_string());
  EXPECT_EQ(user.requests.size(), 1u);
  timers.advance(1ms);
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
  // The same request now is a new transaction.
  layer->on_message(make_request(options()), udp_source());
  EXPECT_EQ(user.requests.size(), 2u);
}

TEST_F(ServerNonInviteTest, TimerJIsZeroOnTcp) {
  RequestSpec spec = options();
  spec.transport = "TCP";
  layer->on_message(make_request(spec), tcp_source());
  ServerTransaction txn = user.requests.at(0);
  txn.respond(200, {}, "t");
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ServerNonInviteTest, TheTuCanAnswerLater) {
  layer->on_message(make_request(options()), udp_source());
  ServerTransaction txn = user.requests.at(0);
  timers.advance(std::chrono::minutes(2));
  ASSERT_NE(txn.request(), nullptr);
  EXPECT_EQ(txn.request()->method(), Method::Options);
  EXPECT_TRUE(txn.respond(200, {}, "t"));
  EXPECT_EQ(response_statuses(), (std::vector<int>{200}));
}

TEST_F(ServerNonInviteTest, RequestsWithoutUserAre503) {
  layer->set_user(nullptr);
  layer->on_message(make_request(options()), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{503}));
}

TEST_F(ServerNonInviteTest, MalformedRequestIsAnsweredStatelessly) {
  Message request = make_request(options());
  request.remove_headers(HeaderId::CallId);
  layer->on_message(std::move(request), udp_source());
  EXPECT_TRUE(user.requests.empty());
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(counter("sip_transaction_dropped_total", {{"reason", "malformed"}}), 1u);
}

}  // namespace
}  // namespace kolokol::sip::testing
