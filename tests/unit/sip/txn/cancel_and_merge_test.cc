#include "txn_test_support.h"

namespace kolokol::sip::testing {
namespace {

using CancelTest = TxnTest;
using MergeTest = TxnTest;

RequestSpec cancel_spec(std::string branch = "z9hG4bKbranch1") {
  RequestSpec spec;
  spec.method = "CANCEL";
  spec.branch = std::move(branch);
  return spec;
}

TEST_F(CancelTest, CancelBeforeFinalIsAnswered200AndReachesTheTu) {
  layer->on_message(make_request({}), udp_source());
  ServerTransaction invite = user.requests.at(0);
  invite.respond(180, {}, "uas1");
  sink.responses.clear();

  layer->on_message(make_request(cancel_spec()), udp_source());
  ASSERT_EQ(response_statuses(), (std::vector<int>{200}));
  EXPECT_EQ(sink.responses[0].message.cseq()->method, Method::Cancel);
  EXPECT_EQ(sink.responses[0].message.to()->tag(), "uas1");  // 9.2: same To tag
  ASSERT_EQ(user.cancels.size(), 1u);
  EXPECT_EQ(user.cancels[0], invite);
  EXPECT_EQ(user.requests.size(), 1u);  // CANCEL is not a new request for the TU

  layer->on_message(make_request(cancel_spec()), udp_source());  // retransmitted CANCEL
  EXPECT_EQ(response_statuses(), (std::vector<int>{200, 200}));
  EXPECT_EQ(user.cancels.size(), 1u);

  EXPECT_TRUE(user.cancels[0].respond(487, {}, "uas1"));
  RequestSpec ack;
  ack.method = "ACK";
  ack.to_tag = "uas1";
  layer->on_message(make_request(ack), udp_source());
  EXPECT_TRUE(user.acks.empty());
  timers.advance(32s);
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(CancelTest, CancelBeforeAnyResponseFromTheTu) {
  layer->on_message(make_request({}), udp_source());  // only the layer's 100 went out
  layer->on_message(make_request(cancel_spec()), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 200}));
  ASSERT_EQ(user.cancels.size(), 1u);
  EXPECT_TRUE(user.cancels[0].respond(487, {}, "t"));
}

TEST_F(CancelTest, CancelAfter200LeavesTheInviteAlone) {
  layer->on_message(make_request({}), udp_source());
  ServerTransaction invite = user.requests.at(0);
  invite.respond(200, {}, "uas1");
  sink.responses.clear();
  layer->on_message(make_request(cancel_spec()), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{200}));
  EXPECT_EQ(sink.responses[0].message.cseq()->method, Method::Cancel);
  EXPECT_TRUE(user.cancels.empty());
  EXPECT_FALSE(invite.respond(487, {}, "uas1"));  // the INVITE stays answered 200
  EXPECT_TRUE(invite.alive());
}

TEST_F(CancelTest, CancelForUnknownTransactionIs481) {
  layer->on_message(make_request(cancel_spec("z9hG4bKnone")), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{481}));
  EXPECT_TRUE(user.cancels.empty());
  EXPECT_TRUE(user.requests.empty());
  timers.advance(32s);
  EXPECT_EQ(layer->active_transactions(), 0u);
}

TEST_F(CancelTest, CancelMustComeFromTheSameSentBy) {
  layer->on_message(make_request({}), udp_source());
  RequestSpec spec = cancel_spec();
  spec.via_host = "198.51.100.7";
  layer->on_message(make_request(spec), udp_source());
  EXPECT_EQ(sink.responses.back().message.status(), 481);
}

TEST_F(CancelTest, CancelWithoutUserAnswers487Itself) {
  layer->on_message(make_request({}), udp_source());
  layer->set_user(nullptr);
  layer->on_message(make_request(cancel_spec()), udp_source());
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 200, 487}));
}

TEST_F(MergeTest, SameRequestWithAnotherBranchIsLoopDetected) {
  layer->on_message(make_request({}), udp_source());
  RequestSpec merged;
  merged.branch = "z9hG4bKbranch2";
  merged.via_host = "192.0.2.99";
  layer->on_message(make_request(merged), udp_source());
  EXPECT_EQ(user.requests.size(), 1u);
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 482}));
  EXPECT_EQ(counter("sip_transaction_dropped_total", {{"reason", "merged_request"}}), 1u);

  layer->on_message(make_request(merged), udp_source());  // its retransmission: 482 again
  EXPECT_EQ(response_statuses(), (std::vector<int>{100, 482, 482}));
  EXPECT_EQ(user.requests.size(), 1u);
}

TEST_F(MergeTest, RequestsInsideADialogAreNotMerged) {
  RequestSpec first;
  first.method = "INFO";
  first.to_tag = "dialog";
  layer->on_message(make_request(first), udp_source());
  RequestSpec second = first;
  second.branch = "z9hG4bKbranch2";
  layer->on_message(make_request(second), udp_source());
  EXPECT_EQ(user.requests.size(), 2u);
}

TEST_F(MergeTest, AfterTheTransactionEndsTheSameKeysAreAccepted) {
  RequestSpec first;
  first.method = "MESSAGE";
  layer->on_message(make_request(first), udp_source());
  user.requests.at(0).respond(200, {}, "t");
  timers.advance(32s);
  RequestSpec second = first;
  second.branch = "z9hG4bKbranch2";
  layer->on_message(make_request(second), udp_source());
  EXPECT_EQ(user.requests.size(), 2u);
}

}  // namespace
}  // namespace kolokol::sip::testing
