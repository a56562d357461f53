#include <set>

#include <gtest/gtest.h>

#include "sip/msg/cseq.h"
#include "sip/msg/header_id.h"
#include "sip/msg/ids.h"
#include "sip/msg/method.h"
#include "sip/msg/via.h"

namespace kolokol::sip {
namespace {

TEST(Via, ParsesLwsEverywhere) {
  auto via = parse_via("SIP  / 2.0  / tcp     spindle.example.com   ; branch  =   z9hG4bK9ikj8");
  ASSERT_TRUE(via.has_value()) << via.error().reason;
  EXPECT_EQ(via->transport, "TCP");
  EXPECT_EQ(via->host, "spindle.example.com");
  EXPECT_FALSE(via->port.has_value());
  EXPECT_EQ(via->branch(), "z9hG4bK9ikj8");
  EXPECT_EQ(via->to_string(), "SIP/2.0/TCP spindle.example.com;branch=z9hG4bK9ikj8");
}

TEST(Via, Ipv6PortRportReceived) {
  auto via =
      parse_via("SIP/2.0/UDP [2001:db8::9:1]:5070;rport=4000;received=2001:db8::1;branch=z9hG4bK");
  ASSERT_TRUE(via.has_value()) << via.error().reason;
  EXPECT_EQ(via->host, "[2001:db8::9:1]");
  EXPECT_EQ(via->port, 5070);
  EXPECT_TRUE(via->has_rport());
  EXPECT_EQ(via->rport(), 4000);
  EXPECT_EQ(via->received(), "2001:db8::1");
  EXPECT_TRUE(via->rfc3261_branch());  // a bare cookie counts (RFC 4475 3.2.1)
  auto bare = parse_via("SIP/2.0/UDP h;rport");
  ASSERT_TRUE(bare.has_value());
  EXPECT_TRUE(bare->has_rport());
  EXPECT_FALSE(bare->rport().has_value());
  EXPECT_FALSE(bare->rfc3261_branch());
}

TEST(Via, ListAndErrors) {
  auto list = parse_via_list("SIP/2.0/UDP a;branch=z9hG4bK1 , SIP/2.0/TCP b:5061;branch=z9hG4bK2");
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].port, 5061);
  for (std::string_view bad : {"SIP/2.0/UDP 192.0.2.15;;,;,,", "SIP/2.0 host", "SIP/2.0/UDP",
                               "SIP/2.0/UDPhost", "SIP/2.0/UDP h:70000", "SIP/2.0/UDP [::1"}) {
    EXPECT_FALSE(parse_via_list(bad).has_value()) << bad;
  }
}

TEST(CSeq, NumberLimitsAndMethods) {
  auto c = parse_cseq("0009\t INVITE");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->number, 9u);
  EXPECT_EQ(c->method, Method::Invite);
  EXPECT_EQ(c->to_string(), "9 INVITE");
  auto max = parse_cseq("2147483647 NEWMETHOD");
  ASSERT_TRUE(max.has_value());
  EXPECT_EQ(max->method, Method::Other);
  EXPECT_EQ(max->method_text, "NEWMETHOD");
  for (std::string_view bad : {"2147483648 INVITE", "36893488147419103232 REGISTER", "1", "INVITE",
                               "1INVITE", "-1 INVITE", "1 INVITE x"}) {
    EXPECT_FALSE(parse_cseq(bad).has_value()) << bad;
  }
}

TEST(MethodNames, CaseSensitive) {
  EXPECT_EQ(method_from_name("INVITE"), Method::Invite);
  EXPECT_EQ(method_from_name("invite"), Method::Other);
  EXPECT_EQ(method_name(Method::Publish), "PUBLISH");
  EXPECT_EQ(method_name(Method::Other), "");
}

TEST(HeaderIds, LongCompactAndCanonical) {
  EXPECT_EQ(header_id_from_name("call-id"), HeaderId::CallId);
  EXPECT_EQ(header_id_from_name("i"), HeaderId::CallId);
  EXPECT_EQ(header_id_from_name("MaX-fOrWaRdS"), HeaderId::MaxForwards);
  EXPECT_EQ(header_id_from_name("www-authenticate"), HeaderId::WwwAuthenticate);
  EXPECT_EQ(header_id_from_name("C%6Fntact"), HeaderId::Other);
  EXPECT_EQ(header_id_from_name("X-Custom"), HeaderId::Other);
  EXPECT_EQ(header_id_from_name(""), HeaderId::Other);
  const std::pair<char, HeaderId> compact[] = {{'i', HeaderId::CallId},
                                               {'m', HeaderId::Contact},
                                               {'e', HeaderId::ContentEncoding},
                                               {'l', HeaderId::ContentLength},
                                               {'c', HeaderId::ContentType},
                                               {'f', HeaderId::From},
                                               {'s', HeaderId::Subject},
                                               {'k', HeaderId::Supported},
                                               {'t', HeaderId::To},
                                               {'v', HeaderId::Via},
                                               {'o', HeaderId::Event},
                                               {'u', HeaderId::AllowEvents},
                                               {'r', HeaderId::ReferTo},
                                               {'b', HeaderId::ReferredBy},
                                               {'x', HeaderId::SessionExpires},
                                               {'y', HeaderId::Identity}};
  for (auto [letter, id] : compact) {
    EXPECT_EQ(header_id_from_name(std::string(1, letter)), id) << letter;
    EXPECT_EQ(header_id_from_name(std::string(1, static_cast<char>(letter - 32))), id) << letter;
  }
  for (std::size_t i = 1; i < static_cast<std::size_t>(HeaderId::Count_); ++i) {
    const auto id = static_cast<HeaderId>(i);
    EXPECT_EQ(header_id_from_name(canonical_header_name(id)), id) << canonical_header_name(id);
  }
  EXPECT_EQ(canonical_header_name(HeaderId::CSeq), "CSeq");
  EXPECT_TRUE(header_is_list(HeaderId::Via));
  EXPECT_FALSE(header_is_list(HeaderId::From));
  EXPECT_TRUE(header_is_single(HeaderId::CallId));
  EXPECT_FALSE(header_is_single(HeaderId::Via));
}

TEST(IdGenerator, ShapesAndDeterminism) {
  IdGenerator a(42);
  IdGenerator b(42);
  const std::string branch = a.branch();
  EXPECT_EQ(branch, b.branch());
  EXPECT_TRUE(branch.starts_with(kMagicCookie));
  EXPECT_EQ(branch.size(), kMagicCookie.size() + 16);
  EXPECT_EQ(a.tag().size(), 12u);
  const std::string call_id = a.call_id("pbx.example.com");
  EXPECT_EQ(call_id.size(), 20u + 1 + 15);
  EXPECT_TRUE(call_id.ends_with("@pbx.example.com"));
  EXPECT_EQ(a.call_id("").size(), 20u);
  IdGenerator random;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random.tag());
  EXPECT_EQ(seen.size(), 1000u);
  for (char c : random.token(64)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)));
}

}  // namespace
}  // namespace kolokol::sip
