#include "txn_test_support.h"

namespace kolokol::sip::testing {
namespace {

using MatchingTest = TxnTest;

RequestSpec rfc2543(std::string method = "INVITE") {
  RequestSpec spec;
  spec.method = std::move(method);
  spec.branch = "";  // no magic cookie: RFC 2543 matching
  return spec;
}

TEST_F(MatchingTest, Rfc2543InviteRetransmissionAckAndCancel) {
  layer->on_message(make_request(rfc2543()), udp_source());
  layer->on_message(make_request(rfc2543()), udp_source());
  ASSERT_EQ(user.requests.size(), 1u);
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 100}));

  layer->on_message(make_request(rfc2543("CANCEL")), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 100, 200}));
  ASSERT_EQ(user.cancels.size(), 1u);
  user.cancels[0].respond(487, {}, "uas9");

  RequestSpec ack = rfc2543("ACK");
  ack.to_tag = "uas9";  // the ACK carries our tag; the INVITE had none
  layer->on_message(make_request(ack), udp_source());
  EXPECT_TRUE(user.acks.empty());  // matched: absorbed by the transaction
  timers.advance(5s);              // Timer I ends the INVITE; the CANCEL waits for Timer J
  EXPECT_EQ(layer->active_transactions(), 1u);
  timers.advance(27s);
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(MatchingTest, Rfc2543DifferentCSeqIsANewTransaction) {
  layer->on_message(make_request(rfc2543("OPTIONS")), udp_source());
  RequestSpec next = rfc2543("OPTIONS");
  next.cseq = 2;
  layer->on_message(make_request(next), udp_source());
  EXPECT_EQ(user.requests.size(), 2u);
}

TEST_F(MatchingTest, Rfc2543AckWithOtherTagGoesToTheTu) {
  layer->on_message(make_request(rfc2543()), udp_source());
  user.requests.at(0).respond(486, {}, "uas9");
  RequestSpec ack = rfc2543("ACK");
  ack.to_tag = "someoneelse";
  layer->on_message(make_request(ack), udp_source());
  EXPECT_EQ(user.acks.size(), 1u);
}

TEST_F(MatchingTest, Rfc3261BranchMatchIgnoresOtherFields) {
  layer->on_message(make_request({}), udp_source());
  RequestSpec retransmission;
  retransmission.request_uri = "sip:other@example.com";  // only branch, sent-by, method count
  layer->on_message(make_request(retransmission), udp_source());
  EXPECT_EQ(user.requests.size(), 1u);
}

TEST_F(MatchingTest, SameBranchDifferentMethodIsADifferentTransaction) {
  layer->on_message(make_request({}), udp_source());
  RequestSpec info;
  info.method = "INFO";
  info.to_tag = "x";
  layer->on_message(make_request(info), udp_source());
  EXPECT_EQ(user.requests.size(), 2u);
  EXPECT_EQ(user.request_methods, (std::vector<std::string>{"INVITE", "INFO"}));
}

TEST_F(MatchingTest, AckFor2xxGoesToTheTu) {
  RequestSpec ack;
  ack.method = "ACK";
  ack.to_tag = "t";
  ack.branch = "z9hG4bKfresh";
  layer->on_message(make_request(ack), udp_source());
  EXPECT_EQ(user.acks.size(), 1u);
  EXPECT_EQ(layer->active_transactions(), 0u);
  EXPECT_TRUE(sink.responses.empty());
}

TEST_F(MatchingTest, StrayResponses) {
  RequestSpec invite;
  invite.via_host = "192.0.2.10";
  Message invite_request = make_request(invite);
  layer->on_message(make_response(invite_request, 200, {}, "t"), udp_source());
  EXPECT_EQ(user.strays.size(), 1u);  // a 2xx to INVITE: the dialog may have to ACK it

  RequestSpec options;
  options.method = "OPTIONS";
  layer->on_message(make_response(make_request(options), 200, {}, "t"), udp_source());
  layer->on_message(make_response(invite_request, 180, {}, "t"), udp_source());
  EXPECT_EQ(user.strays.size(), 1u);
  EXPECT_EQ(counter("sip_transaction_dropped_total", {{"reason", "stray_response"}}), 2u);
}

TEST_F(MatchingTest, ResponsesArriveViaIncomingMessage) {
  ClientLog log;
  layer->send_request(make_outgoing("OPTIONS"), udp_peer(), log.callbacks());
  layer->on_message(
      IncomingMessage{make_response(sink.requests[0].message, 200, {}, "t"), udp_source()});
  EXPECT_EQ(log.statuses, (std::vector<int>{200}));
}

TEST_F(MatchingTest, NewRequestFromInsideAResponseCallback) {
  ClientLog second;
  ClientCallbacks first;
  first.on_response = [&](const Message&) {
    layer->send_request(make_outgoing("OPTIONS", 2), udp_peer(), second.callbacks());
  };
  layer->send_request(make_outgoing("OPTIONS", 1), udp_peer(), first);
  answer(0, 200);
  ASSERT_EQ(sink.requests.size(), 2u);
  answer(1, 200);
  EXPECT_EQ(second.statuses, (std::vector<int>{200}));
  timers.advance(5s);
  EXPECT_EQ(layer->active_transactions(), 0u);
}

}  // namespace
}  // namespace kolokol::sip::testing
