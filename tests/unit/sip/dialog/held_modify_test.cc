// Re-INVITE and UPDATE offers held open and answered later (SessionHandler::on_modify_offer), as
// a B2BUA does while it relays the offer to its other leg.
#include <gtest/gtest.h>

#include <string>

#include "session_test_support.h"

namespace kolokol::sip::testing {
namespace {

class HeldModifyTest : public SessionTest {
 protected:
  void SetUp() override {
    make_agents();
    establish();
    bob->on_modify_offer = [this](InviteSession&, Method method, std::string_view offer) {
      held.emplace_back(method, std::string(offer));
      return true;
    };
  }
  std::vector<std::pair<Method, std::string>> held;
};

TEST_F(HeldModifyTest, ReInviteIsAnsweredWhenTheApplicationAnswers) {
  ASSERT_TRUE(alice->session()->reinvite(std::string("v=0 offer 2")));
  network.pump();
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0], std::make_pair(Method::Invite, std::string("v=0 offer 2")));
  EXPECT_TRUE(alice->modified.empty());
  EXPECT_EQ(network.count("bob", "100/INVITE"), 1u);  // the layer's 100 Trying keeps Alice waiting
  EXPECT_TRUE(bob->session()->modify_held());

  ASSERT_TRUE(bob->session()->answer_modify("v=0 relayed answer"));
  network.pump();
  ASSERT_EQ(alice->modified.size(), 1u);
  EXPECT_EQ(alice->modified[0], std::make_pair(Method::Invite, 200));
  EXPECT_EQ(alice->session()->offer_answer().remote_sdp(), "v=0 relayed answer");
  EXPECT_EQ(bob->session()->offer_answer().remote_sdp(), "v=0 offer 2");
  EXPECT_EQ(bob->session()->offer_answer().local_sdp(), "v=0 relayed answer");
  EXPECT_FALSE(bob->session()->modify_held());
  EXPECT_FALSE(bob->session()->answer_modify("twice"));
}

TEST_F(HeldModifyTest, UpdateRejectedLaterKeepsTheOldDescription) {
  ASSERT_TRUE(alice->session()->update(std::string("v=0 offer 3")));
  network.pump();
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].first, Method::Update);
  ASSERT_TRUE(bob->session()->reject_modify(488));
  network.pump();
  ASSERT_EQ(alice->modified.size(), 1u);
  EXPECT_EQ(alice->modified[0], std::make_pair(Method::Update, 488));
  EXPECT_EQ(alice->session()->offer_answer().remote_sdp(), "v=0 answer");
  EXPECT_TRUE(bob->session()->offer_answer().idle());
  EXPECT_EQ(bob->session()->offer_answer().remote_sdp(), "v=0 offer");
}

TEST_F(HeldModifyTest, DeclinedHoldAnswersAtOnce) {
  bob->on_modify_offer = [](InviteSession&, Method, std::string_view) { return false; };
  bob->answer_to_give = "v=0 answer now";
  ASSERT_TRUE(alice->session()->reinvite(std::string("v=0 offer 4")));
  network.pump();
  ASSERT_EQ(alice->modified.size(), 1u);
  EXPECT_EQ(alice->modified[0].second, 200);
  EXPECT_EQ(alice->session()->offer_answer().remote_sdp(), "v=0 answer now");
}

TEST_F(HeldModifyTest, ByeWhileHeldAnswersTheHeldRequest487) {
  ASSERT_TRUE(alice->session()->reinvite(std::string("v=0 offer 5")));
  network.pump();
  ASSERT_TRUE(bob->session()->modify_held());
  bob->session()->hangup();
  network.pump();
  EXPECT_EQ(network.count("bob", "487/INVITE"), 1u);
  ASSERT_TRUE(alice->end && bob->end);
  EXPECT_EQ(bob->end->reason, SessionEndReason::LocalBye);
}

}  // namespace
}  // namespace kolokol::sip::testing
