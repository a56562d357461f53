#include "txn_test_support.h"

namespace kolokol::sip::testing {
namespace {

using ClientNonInviteTest = TxnTest;

TEST_F(ClientNonInviteTest, TimerEDoublesUpToT2UntilTimerF) {
  ClientLog log;
  ClientTransaction txn =
      layer->send_request(make_outgoing("OPTIONS"), udp_peer(), log.callbacks());
  timers.advance(31999ms);
  // 17.1.2.2: 0.5, 1, 2, 4, 4, 4 ... s
  EXPECT_EQ(request_times(), (std::vector<long>{0, 500, 1500, 3500, 7500, 11500, 15500, 19500,
                                                23500, 27500, 31500}));
  EXPECT_EQ(log.timeouts, 0);
  timers.advance(1ms);  // Timer F
  EXPECT_EQ(log.timeouts, 1);
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(counter("sip_transactions_total", {{"kind", "client_non_invite"}}), 1u);
  EXPECT_EQ(counter("sip_transaction_timeouts_total"), 1u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientNonInviteTest, ProvisionalMovesTimerEToT2) {
  ClientLog log;
  layer->send_request(make_outgoing("REGISTER"), udp_peer(), log.callbacks());
  timers.advance(100ms);
  answer(0, 100);
  timers.advance(8500ms - 100ms);
  EXPECT_EQ(request_times(), (std::vector<long>{0, 500, 4500, 8500}));
  EXPECT_EQ(log.statuses, (std::vector<int>{100}));
}

TEST_F(ClientNonInviteTest, FinalCompletesAndTimerKAbsorbsRetransmissions) {
  ClientLog log;
  ClientTransaction txn =
      layer->send_request(make_outgoing("OPTIONS"), udp_peer(), log.callbacks());
  answer(0, 200);
  EXPECT_EQ(log.statuses, (std::vector<int>{200}));
  answer(0, 200);  // retransmission: absorbed
  EXPECT_EQ(log.statuses.size(), 1u);
  EXPECT_EQ(counter("sip_retransmissions_total", {{"direction", "in"}}), 1u);
  timers.advance(4999ms);
  EXPECT_TRUE(txn.alive());
  EXPECT_EQ(sink.requests.size(), 1u);  // Timer E stopped
  timers.advance(1ms);                  // Timer K = T4
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ClientNonInviteTest, ReliableTransportNoRetransmissionAndKIsZero) {
  ClientLog log;
  ClientTransaction txn = layer->send_request(make_outgoing("BYE"), tcp_peer(), log.callbacks());
  timers.advance(10s);
  EXPECT_EQ(sink.requests.size(), 1u);
  answer(0, 200, "t", tcp_source());
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(log.statuses, (std::vector<int>{200}));
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ClientNonInviteTest, TimerFOnTcp) {
  ClientLog log;
  layer->send_request(make_outgoing("OPTIONS"), tcp_peer(), log.callbacks());
  timers.advance(32s);
  EXPECT_EQ(sink.requests.size(), 1u);
  EXPECT_EQ(log.timeouts, 1);
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ClientNonInviteTest, TransportErrorAfterFinalIsIgnored) {
  ClientLog log;
  layer->send_request(make_outgoing("OPTIONS"), udp_peer(), log.callbacks());
  answer(0, 200);
  sink.requests[0].on_error("late");
  EXPECT_TRUE(log.transport_errors.empty());
}

TEST_F(ClientNonInviteTest, TransportErrorOnSend) {
  ClientLog log;
  ClientTransaction txn =
      layer->send_request(make_outgoing("MESSAGE"), tcp_peer(), log.callbacks());
  sink.requests[0].on_error("connection refused");
  EXPECT_EQ(log.transport_errors.size(), 1u);
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_FALSE(txn.cancel());
}

TEST_F(ClientNonInviteTest, ResponsesMatchOnBranchAndCSeqMethod) {
  ClientLog log;
  layer->send_request(make_outgoing("OPTIONS"), udp_peer(), log.callbacks());
  Message wrong_method = make_response(sink.requests[0].message, 200);
  CSeq cseq = *wrong_method.cseq();
  cseq.method = Method::Info;
  cseq.method_text = "INFO";
  wrong_method.set_cseq(cseq);
  layer->on_message(std::move(wrong_method), udp_source());
  EXPECT_TRUE(log.statuses.empty());
  EXPECT_EQ(counter("sip_transaction_dropped_total", {{"reason", "stray_response"}}), 1u);
}

}  // namespace
}  // namespace kolokol::sip::testing
