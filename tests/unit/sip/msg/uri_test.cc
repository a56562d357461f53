#include <gtest/gtest.h>

#include "sip/msg/uri.h"

namespace kolokol::sip {
namespace {

Uri uri(std::string_view text) {
  auto parsed = parse_uri(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << (parsed ? "" : parsed.error().reason);
  return parsed ? *parsed : Uri{};
}

TEST(Uri, ParsesEverySipPart) {
  const Uri u = uri("sips:alice:secret@Atlanta.example.com:5061;transport=tcp;lr?subject=x&h=1");
  EXPECT_EQ(u.scheme, UriScheme::Sips);
  EXPECT_EQ(u.scheme_text, "sips");
  EXPECT_EQ(u.user, "alice");
  EXPECT_EQ(u.password, "secret");
  EXPECT_EQ(u.host, "Atlanta.example.com");
  EXPECT_EQ(u.port, 5061);
  EXPECT_EQ(param_value(u.params, "transport"), "tcp");
  EXPECT_TRUE(has_param(u.params, "lr"));
  EXPECT_FALSE(param_value(u.params, "lr").has_value());
  ASSERT_EQ(u.headers.size(), 2u);
  EXPECT_EQ(u.headers[0].name, "subject");
  EXPECT_EQ(u.to_string(),
            "sips:alice:secret@Atlanta.example.com:5061;transport=tcp;lr?subject=x&h=1");
}

TEST(Uri, KeepsIpv6ReferencesAndEscapes) {
  const Uri u = uri("sip:%61lice@[2001:db8::10]:5070");
  EXPECT_EQ(u.host, "[2001:db8::10]");
  EXPECT_EQ(u.port, 5070);
  EXPECT_EQ(u.user, "%61lice");
  EXPECT_EQ(unescape(u.user), "alice");
  EXPECT_EQ(u.to_string(), "sip:%61lice@[2001:db8::10]:5070");
}

TEST(Uri, UserPartMayHoldSemicolonsAndQuestionMarks) {
  const Uri u = uri("sip:user;par=u%40example.net@example.com");
  EXPECT_EQ(u.user, "user;par=u%40example.net");
  EXPECT_EQ(u.host, "example.com");
  EXPECT_TRUE(u.params.empty());
}

TEST(Uri, TelAndOtherSchemes) {
  const Uri tel = uri("tel:+1-201-555-0123;phone-context=example.com");
  EXPECT_EQ(tel.scheme, UriScheme::Tel);
  EXPECT_EQ(tel.user, "+1-201-555-0123");
  EXPECT_EQ(param_value(tel.params, "phone-context"), "example.com");
  EXPECT_EQ(tel.to_string(), "tel:+1-201-555-0123;phone-context=example.com");
  const Uri other = uri("soap.beep://192.0.2.103:3002");
  EXPECT_EQ(other.scheme, UriScheme::Other);
  EXPECT_EQ(other.scheme_text, "soap.beep");
  EXPECT_EQ(other.opaque, "//192.0.2.103:3002");
  EXPECT_EQ(other.to_string(), "soap.beep://192.0.2.103:3002");
  EXPECT_FALSE(uri("tel:+12015550123").equivalent(uri("sip:+12015550123@x")));
}

TEST(Uri, RejectsMalformedText) {
  for (std::string_view bad : {"", "sip:", "sip:user@", "sip:a b@example.com", "<sip:x@y>",
                               "sip:x@y:99999", "sip:x@y:5o60", "sip:@example.com", "1sip:x",
                               "sip:x@[::1", "sip:x@y;;a", "sip:x@y?&", "nocolon"}) {
    EXPECT_FALSE(parse_uri(bad).has_value()) << bad;
  }
}

// RFC 3261 19.1.4 examples.
TEST(Uri, EquivalentPairsOfRfc3261) {
  EXPECT_TRUE(uri("sip:%61lice@atlanta.com;transport=TCP")
                  .equivalent(uri("sip:alice@AtLanTa.CoM;Transport=tcp")));
  EXPECT_TRUE(uri("sip:carol@chicago.com").equivalent(uri("sip:carol@chicago.com;newparam=5")));
  EXPECT_TRUE(
      uri("sip:carol@chicago.com;security=on").equivalent(uri("sip:carol@chicago.com;newparam=5")));
  EXPECT_TRUE(
      uri("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com")
          .equivalent(uri("sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com")));
  EXPECT_TRUE(uri("sip:alice@atlanta.com?subject=project%20x&priority=urgent")
                  .equivalent(uri("sip:alice@atlanta.com?priority=urgent&subject=project%20x")));
}

TEST(Uri, NonEquivalentPairsOfRfc3261) {
  EXPECT_FALSE(uri("SIP:ALICE@AtLanTa.CoM;Transport=udp")
                   .equivalent(uri("sip:alice@AtLanTa.CoM;Transport=UDP")));
  EXPECT_FALSE(uri("sip:bob@biloxi.com").equivalent(uri("sip:bob@biloxi.com:5060")));
  EXPECT_FALSE(uri("sip:bob@biloxi.com").equivalent(uri("sip:bob@biloxi.com;transport=udp")));
  EXPECT_FALSE(uri("sip:bob@biloxi.com").equivalent(uri("sip:bob@biloxi.com:6000;transport=tcp")));
  EXPECT_FALSE(
      uri("sip:carol@chicago.com").equivalent(uri("sip:carol@chicago.com?Subject=next%20meeting")));
  EXPECT_FALSE(uri("sip:bob@phone21.boxesbybob.com").equivalent(uri("sip:bob@192.0.2.4")));
  EXPECT_FALSE(uri("sip:carol@chicago.com;security=on")
                   .equivalent(uri("sip:carol@chicago.com;security=off")));
  EXPECT_FALSE(uri("sip:alice@atlanta.com").equivalent(uri("sips:alice@atlanta.com")));
}

TEST(Uri, UnescapeLeavesInvalidEscapes) {
  EXPECT_EQ(unescape("a%20b%2"), "a b%2");
  EXPECT_EQ(unescape("%zz%00"), std::string("%zz\0", 4));
}

}  // namespace
}  // namespace kolokol::sip
