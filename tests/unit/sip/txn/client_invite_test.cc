#include "txn_test_support.h"

namespace kolokol::sip::testing {
namespace {

using ClientInviteTest = TxnTest;

TEST_F(ClientInviteTest, TimerADoublesWithoutCapUntilTimerBAt64T1) {
  ClientLog log;
  ClientTransaction txn = layer->send_request(make_outgoing("INVITE"), udp_peer(), log.callbacks());
  ASSERT_TRUE(txn.alive());
  timers.advance(31999ms);
  // 17.1.1.2: intervals 0.5, 1, 2, 4, 8, 16 s (Timer A is not capped at T2).
  EXPECT_EQ(request_times(), (std::vector<long>{0, 500, 1500, 3500, 7500, 15500, 31500}));
  EXPECT_EQ(log.timeouts, 0);
  timers.advance(1ms);
  EXPECT_EQ(log.timeouts, 1);  // Timer B
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(active_gauge(), 0);
  EXPECT_EQ(counter("sip_transaction_timeouts_total"), 1u);
  EXPECT_EQ(counter("sip_retransmissions_total", {{"direction", "out"}}), 6u);
  EXPECT_EQ(counter("sip_transactions_total", {{"kind", "client_invite"}}), 1u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientInviteTest, AddsViaWithBranchAndKeepsIt) {
  ClientLog log;
  layer->send_request(make_outgoing("INVITE"), udp_peer(), log.callbacks());
  timers.advance(500ms);
  ASSERT_EQ(sink.requests.size(), 2u);
  const Via* first = sink.requests[0].message.top_via();
  const Via* second = sink.requests[1].message.top_via();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_TRUE(first->rfc3261_branch());
  EXPECT_EQ(first->transport, "UDP");
  EXPECT_EQ(*first->branch(), *second->branch());
  EXPECT_EQ(sink.requests[0].message.count(HeaderId::Via), 1u);
}

TEST_F(ClientInviteTest, ReliableTransportSendsOnceAndTimesOutWithTimerB) {
  ClientLog log;
  layer->send_request(make_outgoing("INVITE"), tcp_peer(), log.callbacks());
  timers.advance(31999ms);
  EXPECT_EQ(sink.requests.size(), 1u);
  EXPECT_EQ(log.timeouts, 0);
  timers.advance(1ms);
  EXPECT_EQ(log.timeouts, 1);
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ClientInviteTest, ProvisionalStopsTimersAAndB) {
  ClientLog log;
  ClientTransaction txn = layer->send_request(make_outgoing("INVITE"), udp_peer(), log.callbacks());
  timers.advance(100ms);
  answer(0, 180);
  timers.advance(std::chrono::minutes(5));
  EXPECT_EQ(sink.requests.size(), 1u);
  EXPECT_EQ(log.statuses, (std::vector<int>{180}));
  EXPECT_EQ(log.timeouts, 0);
  EXPECT_TRUE(txn.alive());
}

TEST_F(ClientInviteTest, NonSuccessFinalIsAckedAndTimerDIs32sOnUdp) {
  ClientLog log;
  ClientTransaction txn = layer->send_request(make_outgoing("INVITE"), udp_peer(), log.callbacks());
  answer(0, 180);
  answer(0, 486, "busytag");
  ASSERT_EQ(sink.requests.size(), 2u);
  const Message& ack = sink.requests[1].message;
  EXPECT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.request_uri().to_string(), "sip:bob@192.0.2.1");
  EXPECT_EQ(*ack.top_via()->branch(), *sink.requests[0].message.top_via()->branch());
  EXPECT_EQ(ack.to()->tag(), "busytag");
  EXPECT_EQ(ack.cseq()->number, 1u);
  EXPECT_EQ(ack.cseq()->method, Method::Ack);
  EXPECT_EQ(ack.call_id(), "out1@example.com");
  EXPECT_EQ(log.statuses, (std::vector<int>{180, 486}));

  // A retransmitted final is ACKed again and absorbed.
  timers.advance(1000ms);
  answer(0, 486, "busytag");
  EXPECT_EQ(sink.requests.size(), 3u);
  EXPECT_EQ(sink.requests[2].message.method(), Method::Ack);
  EXPECT_EQ(log.statuses.size(), 2u);

  timers.advance(30999ms);
  EXPECT_TRUE(txn.alive());
  timers.advance(1ms);  // Timer D: 32 s
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(log.timeouts, 0);
}

TEST_F(ClientInviteTest, TimerDIsZeroOnTcp) {
  ClientLog log;
  ClientTransaction txn = layer->send_request(make_outgoing("INVITE"), tcp_peer(), log.callbacks());
  answer(0, 404, "t", tcp_source());
  EXPECT_EQ(sink.requests.size(), 2u);  // INVITE + ACK
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(log.statuses, (std::vector<int>{404}));
}

TEST_F(ClientInviteTest, AcceptedStatePassesEvery2xxToTheTuUntilTimerM) {
  ClientLog log;
  ClientTransaction txn = layer->send_request(make_outgoing("INVITE"), udp_peer(), log.callbacks());
  answer(0, 200, "fork1");
  timers.advance(500ms);
  answer(0, 200, "fork1");  // retransmission
  answer(0, 200, "fork2");  // another fork
  answer(0, 180, "fork3");  // ignored once Accepted
  EXPECT_EQ(log.statuses, (std::vector<int>{200, 200, 200}));
  EXPECT_EQ(sink.requests.size(), 1u);  // no retransmission, and no ACK for a 2xx
  timers.advance(31499ms);
  EXPECT_TRUE(txn.alive());
  timers.advance(1ms);  // Timer M: 64*T1 after the first 2xx
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);

  answer(0, 200, "fork1");  // no transaction any more: a stray 2xx for the dialog layer
  ASSERT_EQ(user.strays.size(), 1u);
  EXPECT_EQ(user.strays[0].status(), 200);
  EXPECT_EQ(log.statuses.size(), 3u);
}

TEST_F(ClientInviteTest, TransportErrorTerminatesAndInformsTheTu) {
  ClientLog log;
  ClientTransaction txn = layer->send_request(make_outgoing("INVITE"), udp_peer(), log.callbacks());
  ASSERT_EQ(sink.requests.size(), 1u);
  sink.requests[0].on_error("ICMP port unreachable");
  EXPECT_EQ(log.transport_errors, (std::vector<std::string>{"ICMP port unreachable"}));
  EXPECT_FALSE(txn.alive());
  timers.advance(std::chrono::minutes(1));
  EXPECT_EQ(sink.requests.size(), 1u);
  EXPECT_EQ(log.timeouts, 0);
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ClientInviteTest, CancelBeforeProvisionalWaitsForIt) {
  ClientLog invite_log;
  ClientLog cancel_log;
  ClientTransaction txn =
      layer->send_request(make_outgoing("INVITE"), udp_peer(), invite_log.callbacks());
  EXPECT_TRUE(txn.cancel(cancel_log.callbacks()));
  EXPECT_FALSE(txn.cancel());           // once only
  EXPECT_EQ(sink.requests.size(), 1u);  // 9.1: no CANCEL before a provisional response
  answer(0, 100);
  ASSERT_EQ(sink.requests.size(), 2u);
  const Message& cancel = sink.requests[1].message;
  const Message& invite = sink.requests[0].message;
  EXPECT_EQ(cancel.method(), Method::Cancel);
  EXPECT_EQ(cancel.cseq()->method, Method::Cancel);
  EXPECT_EQ(cancel.cseq()->number, invite.cseq()->number);
  EXPECT_EQ(*cancel.top_via()->branch(), *invite.top_via()->branch());
  EXPECT_EQ(cancel.call_id(), invite.call_id());
  EXPECT_EQ(cancel.from()->tag(), invite.from()->tag());
  EXPECT_EQ(cancel.request_uri().to_string(), invite.request_uri().to_string());
  EXPECT_EQ(layer->active_client_transactions(), 2u);

  answer(1, 200);  // the CANCEL's 200 goes to the CANCEL's callbacks
  answer(0, 487);
  EXPECT_EQ(cancel_log.statuses, (std::vector<int>{200}));
  EXPECT_EQ(invite_log.statuses, (std::vector<int>{100, 487}));
  EXPECT_EQ(sink.requests.back().message.method(), Method::Ack);
  timers.advance(32s);
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(invite_log.timeouts, 0);
}

TEST_F(ClientInviteTest, CancelNeverSentWhenFinalComesFirst) {
  ClientLog log;
  ClientTransaction txn = layer->send_request(make_outgoing("INVITE"), udp_peer(), log.callbacks());
  EXPECT_TRUE(txn.cancel());
  answer(0, 200);
  EXPECT_EQ(sink.requests.size(), 1u);
  EXPECT_FALSE(txn.cancel());  // Accepted: too late
  timers.advance(32s);
  EXPECT_EQ(sink.requests.size(), 1u);
  EXPECT_EQ(log.timeouts, 0);
}

TEST_F(ClientInviteTest, NoFinalWithin64T1AfterCancelTimesOut) {
  ClientLog log;
  ClientTransaction txn = layer->send_request(make_outgoing("INVITE"), udp_peer(), log.callbacks());
  answer(0, 180);
  timers.advance(10s);
  EXPECT_TRUE(txn.cancel());
  answer(1, 200);
  timers.advance(31999ms);
  EXPECT_EQ(log.timeouts, 0);
  timers.advance(1ms);
  EXPECT_EQ(log.timeouts, 1);
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ClientInviteTest, DetachSilencesCallbacks) {
  ClientLog log;
  ClientTransaction txn = layer->send_request(make_outgoing("INVITE"), udp_peer(), log.callbacks());
  txn.detach();
  answer(0, 486);
  EXPECT_TRUE(log.statuses.empty());
  EXPECT_EQ(sink.requests.size(), 2u);  // still ACKed
}

TEST_F(ClientInviteTest, CallerBranchIsKeptAndDuplicatesRefused) {
  Message request = make_outgoing("INVITE");
  request.add_header(HeaderId::Via, "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKmine");
  ClientTransaction first = layer->send_request(request.clone(), udp_peer(), {});
  EXPECT_TRUE(first.alive());
  EXPECT_EQ(*sink.requests[0].message.top_via()->branch(), "z9hG4bKmine");
  ClientTransaction second = layer->send_request(std::move(request), udp_peer(), {});
  EXPECT_FALSE(second.alive());
  EXPECT_EQ(layer->active_transactions(), 1u);
}

}  // namespace
}  // namespace kolokol::sip::testing
