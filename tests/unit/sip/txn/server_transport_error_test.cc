// RFC 3261 17.2.4: a server transaction whose response cannot be delivered tells the TU and
// terminates.
#include "txn_test_support.h"

namespace kolokol::sip::testing {
namespace {

using ServerTransportErrorTest = TxnTest;

RequestSpec tcp_spec(std::string method) {
  RequestSpec spec;
  spec.method = std::move(method);
  spec.transport = "TCP";
  return spec;
}

TEST_F(ServerTransportErrorTest, InviteFinalResponseLostReportsAndTerminates) {
  layer->on_message(make_request(tcp_spec("INVITE")), tcp_source());
  ServerTransaction txn = user.requests.at(0);
  EXPECT_TRUE(txn.respond(486, {}, "busy"));
  ASSERT_EQ(response_statuses(), (std::vector<int>{100, 486}));
  EXPECT_TRUE(user.failures.empty());

  fail_response(1);
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_EQ(user.failures[0].first, txn);
  EXPECT_EQ(user.failures[0].second, TransactionFailure::TransportError);
  EXPECT_FALSE(txn.alive());
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(active_gauge(), 0);
  EXPECT_EQ(timers.pending(), 0u);  // Timer H stopped
  EXPECT_EQ(counter("sip_transaction_timeouts_total"), 0u);

  fail_response(1);  // a second report of the same loss changes nothing
  EXPECT_EQ(user.failures.size(), 1u);
}

TEST_F(ServerTransportErrorTest, Invite2xxLostOverUdpStopsItsRetransmission) {
  layer->on_message(make_request({}), udp_source());
  ServerTransaction txn = user.requests.at(0);
  EXPECT_TRUE(txn.respond(200, {}, "uas1"));
  fail_response(1, "ICMP port unreachable");
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_EQ(user.failures[0].second, TransactionFailure::TransportError);
  EXPECT_EQ(layer->active_transactions(), 0u);
  const std::size_t sent = sink.responses.size();
  timers.advance(40s);
  EXPECT_EQ(sink.responses.size(), sent);
  EXPECT_EQ(user.failures.size(), 1u);  // no NoAck later
}

TEST_F(ServerTransportErrorTest, ProvisionalLostAlsoEndsTheTransaction) {
  layer->on_message(make_request({}), udp_source());
  ServerTransaction txn = user.requests.at(0);
  fail_response(0);  // the 100 Trying
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_FALSE(txn.alive());
  EXPECT_FALSE(txn.respond(200, {}, "uas1"));
}

TEST_F(ServerTransportErrorTest, LossReportedAfterTheAckIsIgnored) {
  layer->on_message(make_request({}), udp_source());
  ServerTransaction txn = user.requests.at(0);
  txn.respond(486, {}, "busy");
  RequestSpec ack;
  ack.method = "ACK";
  ack.to_tag = "busy";
  layer->on_message(make_request(ack), udp_source());  // Confirmed: the 486 arrived
  fail_response(1);
  EXPECT_TRUE(user.failures.empty());
  EXPECT_TRUE(txn.alive());  // until Timer I
}

TEST_F(ServerTransportErrorTest, NonInviteFinalLostOverUdpReportsAndTerminates) {
  RequestSpec spec;
  spec.method = "OPTIONS";
  layer->on_message(make_request(spec), udp_source());
  ServerTransaction txn = user.requests.at(0);
  EXPECT_TRUE(txn.respond(200, {}, "t"));
  EXPECT_FALSE(txn.alive());  // Completed: only the response is kept, for Timer J
  fail_response(0);
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_EQ(user.failures[0].first, txn);  // same id, inert handle
  EXPECT_EQ(user.failures[0].second, TransactionFailure::TransportError);
  timers.advance(32s);
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ServerTransportErrorTest, NonInviteFinalLostOverTcpIsReportedAfterTermination) {
  layer->on_message(make_request(tcp_spec("OPTIONS")), tcp_source());
  ServerTransaction txn = user.requests.at(0);
  EXPECT_TRUE(txn.respond(200, {}, "t"));
  EXPECT_FALSE(txn.alive());  // Timer J is 0 on TCP: gone before the transport can fail
  EXPECT_EQ(layer->active_transactions(), 0u);
  fail_response(0);
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_EQ(user.failures[0].first, txn);  // same id, inert handle
  EXPECT_EQ(user.failures[0].second, TransactionFailure::TransportError);
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(ServerTransportErrorTest, LossReportedAfterTheLayerIsGoneIsHarmless) {
  layer->on_message(make_request(tcp_spec("OPTIONS")), tcp_source());
  layer->on_message(make_request({}), udp_source());
  user.requests.at(0).respond(200, {}, "t");
  user.requests.at(1).respond(486, {}, "busy");
  layer.reset();
  for (std::size_t n = 0; n < sink.responses.size(); ++n) fail_response(n);
  EXPECT_TRUE(user.failures.empty());
}

TEST_F(ServerTransportErrorTest, StatelessResponsesOnlyLog) {
  Message request = make_request({});
  request.remove_headers(HeaderId::CallId);
  layer->on_message(std::move(request), udp_source());  // answered 400 without a transaction
  ASSERT_EQ(response_statuses(), (std::vector<int>{400}));
  fail_response(0);
  EXPECT_TRUE(user.failures.empty());
  EXPECT_EQ(layer->active_transactions(), 0u);
}

}  // namespace
}  // namespace kolokol::sip::testing
