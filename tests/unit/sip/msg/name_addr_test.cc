#include <gtest/gtest.h>

#include "sip/msg/name_addr.h"

namespace kolokol::sip {
namespace {

TEST(NameAddr, QuotedDisplayNameIsUnescaped) {
  auto n = parse_name_addr(R"("J Rosenberg \\\""  <sip:jdrosen@example.com> ; tag = 98asjd8)");
  ASSERT_TRUE(n.has_value()) << n.error().reason;
  EXPECT_EQ(n->display_name, R"(J Rosenberg \")");
  EXPECT_EQ(n->uri.user, "jdrosen");
  EXPECT_EQ(n->tag(), "98asjd8");
  EXPECT_TRUE(n->angle_brackets);
}

TEST(NameAddr, TokenDisplayNameAndNoSpaceBeforeAngle) {
  auto n = parse_name_addr("Bob Smith<sip:bob@example.com>");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->display_name, "Bob Smith");
  auto quoted = parse_name_addr(R"("caller"<sip:caller@example.com>;tag=323)");
  ASSERT_TRUE(quoted.has_value());
  EXPECT_EQ(quoted->display_name, "caller");
}

TEST(NameAddr, AddrSpecParametersBelongToTheHeader) {
  auto n = parse_name_addr("sip:user@example.com;tag=abc;expires=60");
  ASSERT_TRUE(n.has_value());
  EXPECT_FALSE(n->angle_brackets);
  EXPECT_TRUE(n->uri.params.empty());
  EXPECT_EQ(n->tag(), "abc");
  EXPECT_EQ(param_value(n->params, "expires"), "60");
  EXPECT_EQ(n->to_string(), "<sip:user@example.com>;tag=abc;expires=60");
}

TEST(NameAddr, UriParametersInsideAngles) {
  auto n = parse_name_addr("<sip:p.example.com;lr>;foo");
  ASSERT_TRUE(n.has_value());
  EXPECT_TRUE(has_param(n->uri.params, "lr"));
  EXPECT_TRUE(has_param(n->params, "foo"));
}

TEST(NameAddr, Wildcard) {
  auto n = parse_name_addr(" * ");
  ASSERT_TRUE(n.has_value());
  EXPECT_TRUE(n->wildcard);
  EXPECT_EQ(n->to_string(), "*");
}

TEST(NameAddr, RejectsTortureCases) {
  for (std::string_view bad : {R"("Mr. J. User <sip:j.user@example.com>)",              // quotbal
                               "Watson, Thomas <sip:t.watson@example.org>",             // baddn
                               "\"Watson, Thomas\" < sip:t.watson@example.org >",       // badaspec
                               "sip:user@example.com?Route=%3Csip:sip.example.com%3E",  // regbadct
                               "\"Joe\" <sip:joe@example.org>;;;;",                     // badinv01
                               "<sip:x@y", "", "\"a\" sip:x@y"}) {
    EXPECT_FALSE(parse_name_addr(bad).has_value()) << bad;
  }
}

TEST(NameAddr, ListSplitsOnlyTopLevelCommas) {
  auto list = parse_name_addr_list(
      R"("Quoted, name" <sip:a@example.com;x=1,2>, <sip:b@example.com>;q=0.5,sip:c@example.com)");
  ASSERT_TRUE(list.has_value()) << list.error().reason;
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].display_name, "Quoted, name");
  EXPECT_EQ(param_value((*list)[0].uri.params, "x"), "1,2");
  EXPECT_EQ(param_value((*list)[1].params, "q"), "0.5");
  EXPECT_EQ((*list)[2].uri.user, "c");
  EXPECT_FALSE(parse_name_addr_list("<sip:a@b>, , <sip:c@d>").has_value());
  EXPECT_FALSE(parse_name_addr_list("*, <sip:c@d>").has_value());
}

TEST(NameAddr, ToStringQuotesDisplayName) {
  NameAddr n;
  n.display_name = R"(A "B" \ C)";
  n.uri = *parse_uri("sip:a@example.com");
  set_param(n.params, "tag", "x");
  EXPECT_EQ(n.to_string(), R"("A \"B\" \\ C" <sip:a@example.com>;tag=x)");
  auto again = parse_name_addr(n.to_string());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->display_name, n.display_name);
}

TEST(Param, SetReplaceRemove) {
  Params p;
  set_param(p, "tag", "1");
  set_param(p, "lr", std::nullopt);
  set_param(p, "TAG", "2");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(param_value(p, "tag"), "2");
  EXPECT_TRUE(has_param(p, "LR"));
  remove_param(p, "Lr");
  EXPECT_FALSE(has_param(p, "lr"));
  EXPECT_EQ(find_param(p, "missing"), nullptr);
}

}  // namespace
}  // namespace kolokol::sip
