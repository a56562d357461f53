#include "txn_test_support.h"

namespace kolokol::sip::testing {
namespace {

using ServerInviteTest = TxnTest;

RequestSpec ack_spec(std::string to_tag, std::string branch = "z9hG4bKbranch1") {
  RequestSpec spec;
  spec.method = "ACK";
  spec.to_tag = std::move(to_tag);
  spec.branch = std::move(branch);
  return spec;
}

TEST_F(ServerInviteTest, SendsTryingAtOnceAndAbsorbsRetransmissions) {
  layer->on_message(make_request({}), udp_source());
  ASSERT_EQ(user.requests.size(), 1u);
  EXPECT_EQ(response_statuses(), (std::vector<int>{100}));
  EXPECT_FALSE(sink.responses[0].message.to()->tag().has_value());  // 8.2.6.1: no tag on 100

  layer->on_message(make_request({}), udp_source());  // retransmission: 100 re-sent
  EXPECT_EQ(user.requests.size(), 1u);
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 100}));

  EXPECT_TRUE(user.requests[0].respond(180, {}, "uas1"));
  layer->on_message(make_request({}), udp_source());  // the latest provisional is re-sent
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 100, 180, 180}));
  EXPECT_EQ(counter("sip_retransmissions_total", {{"direction", "in"}}), 2u);
  EXPECT_EQ(counter("sip_transactions_total", {{"kind", "server_invite"}}), 1u);

  timers.advance(std::chrono::minutes(3));  // no timer in Proceeding
  EXPECT_TRUE(user.requests[0].alive());
}

TEST_F(ServerInviteTest, NoTryingWhenTheTuAnswersAtOnce) {
  user.on_request_hook = [](ServerTransaction txn, const Message&) {
    EXPECT_TRUE(txn.respond(486, {}, "busy"));
  };
  layer->on_message(make_request({}), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{486}));
  EXPECT_EQ(sink.responses[0].destination.remote, udp_source().remote);
}

TEST_F(ServerInviteTest, TimerGRetransmitsUntilTimerH) {
  layer->on_message(make_request({}), udp_source());
  ServerTransaction txn = user.requests.at(0);
  sink.responses.clear();
  EXPECT_TRUE(txn.respond(486, {}, "busy"));
  EXPECT_FALSE(txn.respond(500, {}, "busy"));  // one final only
  timers.advance(31999ms);
  EXPECT_EQ(response_times(), (std::vector<long>{0, 500, 1500, 3500, 7500, 11500, 15500, 19500,
                                                 23500, 27500, 31500}));
  EXPECT_TRUE(user.failures.empty());
  timers.advance(1ms);  // Timer H
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_EQ(user.failures[0].second, TransactionFailure::Timeout);
  EXPECT_EQ(user.failures[0].first, txn);
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(active_gauge(), 0);
  EXPECT_EQ(counter("sip_transaction_timeouts_total"), 1u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ServerInviteTest, AckConfirmsAndTimerIEnds) {
  layer->on_message(make_request({}), udp_source());
  ServerTransaction txn = user.requests.at(0);
  txn.respond(486, {}, "busy");
  timers.advance(600ms);  // one Timer G retransmission
  const std::size_t sent = sink.responses.size();
  layer->on_message(make_request({}), udp_source());  // INVITE retransmission: final re-sent
  EXPECT_EQ(sink.responses.size(), sent + 1);
  EXPECT_EQ(sink.responses.back().message.status(), 486);

  layer->on_message(make_request(ack_spec("busy")), udp_source());
  layer->on_message(make_request(ack_spec("busy")), udp_source());  // absorbed in Confirmed
  EXPECT_TRUE(user.acks.empty());  // the ACK of a non-2xx belongs to the transaction
  timers.advance(4999ms);
  EXPECT_EQ(sink.responses.size(), sent + 1);  // G stopped
  EXPECT_TRUE(txn.alive());
  timers.advance(1ms);  // Timer I = T4
  EXPECT_FALSE(txn.alive());
  EXPECT_TRUE(user.failures.empty());
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ServerInviteTest, ReliableTransportNoTimerGAndIIsZero) {
  RequestSpec spec;
  spec.transport = "TCP";
  layer->on_message(make_request(spec), tcp_source());
  ServerTransaction txn = user.requests.at(0);
  txn.respond(603, {}, "x");
  timers.advance(10s);
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 603}));
  EXPECT_EQ(sink.responses.back().destination.connection, 7u);
  RequestSpec ack = ack_spec("x");
  ack.transport = "TCP";
  layer->on_message(make_request(ack), tcp_source());
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ServerInviteTest, AcceptedRetransmits2xxUntilAckThenTimerL) {
  layer->on_message(make_request({}), udp_source());
  ServerTransaction txn = user.requests.at(0);
  sink.responses.clear();
  EXPECT_TRUE(txn.respond(200, {}, "uas1"));
  timers.advance(3600ms);
  EXPECT_EQ(response_times(),
            (std::vector<long>{0, 500, 1500, 3500}));  // 13.3.1.4 on the TU's behalf

  // The ACK for a 2xx is its own transaction: new branch, goes to the TU, stops retransmissions.
  layer->on_message(make_request(ack_spec("uas1", "z9hG4bKack")), udp_source());
  ASSERT_EQ(user.acks.size(), 1u);
  timers.advance(10s);
  EXPECT_EQ(sink.responses.size(), 4u);
  layer->on_message(make_request({}), udp_source());  // INVITE retransmission: absorbed
  EXPECT_EQ(sink.responses.size(), 4u);
  EXPECT_EQ(user.requests.size(), 1u);
  // Once ACKed, the TU is done with it; only the key stays, absorbing, for Timer L.
  EXPECT_FALSE(txn.alive());
  timers.advance(32s - 10s - 1ms);  // Timer L counts from the ACK here (3.6 s)
  EXPECT_EQ(layer->active_transactions(), 1u);
  layer->on_message(make_request({}), udp_source());
  EXPECT_EQ(user.requests.size(), 1u);
  timers.advance(1ms);
  EXPECT_TRUE(user.failures.empty());
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ServerInviteTest, Unacknowledged2xxReportsNoAck) {
  layer->on_message(make_request({}), udp_source());
  ServerTransaction txn = user.requests.at(0);
  txn.respond(200, {}, "uas1");
  layer->on_message(make_request({}), udp_source());  // 2xx re-sent for the retransmission
  EXPECT_EQ(sink.responses.back().message.status(), 200);
  timers.advance(32s);
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_EQ(user.failures[0].second, TransactionFailure::NoAck);
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ServerInviteTest, WithoutRetransmit2xxTheTuRetransmitsThroughTheHandle) {
  TransactionConfig config;
  config.retransmit_2xx = false;
  reset(config);
  layer->on_message(make_request({}), udp_source());
  ServerTransaction txn = user.requests.at(0);
  sink.responses.clear();
  txn.respond(200, {}, "uas1");
  timers.advance(5s);
  EXPECT_EQ(sink.responses.size(), 1u);
  layer->on_message(make_request({}), udp_source());  // absorbed (RFC 6026)
  EXPECT_EQ(sink.responses.size(), 1u);
  EXPECT_TRUE(txn.respond(200, {}, "uas1"));  // RFC 6026: further 2xx pass through
  EXPECT_FALSE(txn.respond(486));             // but no non-2xx
  EXPECT_EQ(sink.responses.size(), 2u);
  timers.advance(27s);
  EXPECT_FALSE(txn.alive());  // Timer L, no failure without the helper
  EXPECT_TRUE(user.failures.empty());
}

TEST_F(ServerInviteTest, RespondingAfterTheTransactionEndedIsANoOp) {
  layer->on_message(make_request({}), udp_source());
  ServerTransaction txn = user.requests.at(0);
  txn.respond(480, {}, "t");
  timers.advance(32s);  // Timer H: never ACKed
  ASSERT_FALSE(txn.alive());
  const std::size_t sent = sink.responses.size();
  EXPECT_FALSE(txn.respond(200, {}, "t"));
  EXPECT_EQ(txn.request(), nullptr);
  EXPECT_EQ(sink.responses.size(), sent);

  layer.reset();  // even with the layer gone
  EXPECT_FALSE(txn.respond(200));
  EXPECT_EQ(active_gauge(), 0);
}

TEST_F(ServerInviteTest, LayerDestroyedWithOpenTransactions) {
  layer->on_message(make_request({}), udp_source());
  ClientLog log;
  layer->send_request(make_outgoing("INVITE"), udp_peer(), log.callbacks());
  ServerTransaction txn = user.requests.at(0);
  EXPECT_EQ(active_gauge(), 2);
  layer.reset();
  EXPECT_EQ(active_gauge(), 0);
  EXPECT_EQ(timers.pending(), 0u);
  EXPECT_FALSE(txn.alive());
  EXPECT_FALSE(txn.respond(200));
}

}  // namespace
}  // namespace kolokol::sip::testing
