#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "sip/msg/message.h"

namespace kolokol::sip {
namespace {

std::string with_lf(std::string_view crlf_text) {
  std::string out;
  for (char c : crlf_text) {
    if (c != '\r') out.push_back(c);
  }
  return out;
}

constexpr std::string_view kOptions =
    "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:carol@chicago.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 63104 OPTIONS\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

TEST(MessageParse, AcceptsBareLineFeeds) {
  auto m = parse_message(with_lf(kOptions) + "");
  ASSERT_TRUE(m.has_value()) << m.error().reason;
  EXPECT_FALSE(m->defect().has_value());
  EXPECT_EQ(m->method(), Method::Options);
  EXPECT_EQ(m->call_id(), "a84b4c76e66710");
  EXPECT_EQ(m->to_string(), kOptions);
}

TEST(MessageParse, SkipsLeadingEmptyLines) {
  auto m = parse_message("\r\n\r\n" + std::string(kOptions));
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->defect().has_value());
}

TEST(MessageParse, UnfoldsCompactAndOddlyCasedHeaders) {
  auto m = parse_message(
      "MESSAGE sip:b@example.com SIP/2.0\r\n"
      "v: SIP/2.0/UDP a.example.com\r\n"
      " ;branch=z9hG4bK1,\r\n"
      "\tSIP/2.0/TCP b.example.com;branch=z9hG4bK2\r\n"
      "t :\r\n"
      " <sip:b@example.com>\r\n"
      "f: <sip:a@example.com>;tag=1\r\n"
      "i: cid\r\n"
      "cseq: 1\r\n"
      "   MESSAGE\r\n"
      "X-Weird  :   spaced   value  \r\n"
      "\r\n");
  ASSERT_TRUE(m.has_value()) << m.error().reason;
  EXPECT_FALSE(m->defect().has_value()) << m->defect()->reason;
  ASSERT_EQ(m->vias().size(), 2u);
  EXPECT_EQ(m->vias()[1].transport, "TCP");
  EXPECT_EQ(
      m->find(HeaderId::Via)->value,
      "SIP/2.0/UDP a.example.com ;branch=z9hG4bK1, SIP/2.0/TCP b.example.com;branch=z9hG4bK2");
  EXPECT_EQ(m->to()->uri.user, "b");
  EXPECT_EQ(m->cseq()->method, Method::Message);
  EXPECT_EQ(m->find("x-weird")->value, "spaced   value");
  EXPECT_EQ(m->find("X-Weird")->name, "X-Weird");
  EXPECT_EQ(m->find("t"), m->find(HeaderId::To));
  EXPECT_EQ(m->find("i"), m->find("Call-ID"));
  const std::string wire = m->to_string();
  EXPECT_NE(wire.find("\r\nTo: <sip:b@example.com>\r\n"), std::string::npos) << wire;
  EXPECT_NE(wire.find("\r\nX-Weird: spaced   value\r\n"), std::string::npos) << wire;
}

TEST(MessageParse, ListValuesSplitOutsideQuotesAndAngles) {
  auto m = parse_message(std::string(kOptions.substr(0, kOptions.size() - 2)) +
                         "Contact: \"A, B\" <sip:a@x;p=1,2>;q=0.1, <sip:b@y>\r\n"
                         "Allow: INVITE, ACK,BYE\r\n"
                         "Allow: OPTIONS\r\n"
                         "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n"
                         "\r\n");
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->defect().has_value()) << m->defect()->reason;
  const auto contacts = m->values(HeaderId::Contact);
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0], "\"A, B\" <sip:a@x;p=1,2>;q=0.1");
  EXPECT_EQ(m->contacts().size(), 2u);
  const auto allow = m->values(HeaderId::Allow);
  ASSERT_EQ(allow.size(), 4u);
  EXPECT_EQ(allow[2], "BYE");
  EXPECT_EQ(allow[3], "OPTIONS");
  EXPECT_EQ(m->values(HeaderId::Date).size(), 1u);  // not a list header
  EXPECT_EQ(m->count(HeaderId::Allow), 2u);
}

TEST(MessageParse, UnknownMethodAndHeadersPassThrough) {
  auto m = parse_message(
      "FOO-BAR sip:x@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "To: <sip:x@example.com>\r\nFrom: <sip:y@example.com>;tag=1\r\nCall-ID: c\r\n"
      "CSeq: 1 FOO-BAR\r\nP-Custom-Header: a;b=c\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->defect().has_value());
  EXPECT_EQ(m->method(), Method::Other);
  EXPECT_EQ(m->method_text(), "FOO-BAR");
  EXPECT_EQ(m->values("p-custom-header").front(), "a;b=c");
  auto again = parse_message(m->to_string());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->method_text(), "FOO-BAR");
  EXPECT_EQ(again->find("P-Custom-Header")->value, "a;b=c");
}

TEST(MessageParse, ContentLengthRules) {
  const std::string head(kOptions.substr(0, kOptions.find("Content-Length")));
  auto extra = parse_message(head + "Content-Length: 3\r\n\r\nabcdef");
  ASSERT_TRUE(extra.has_value());
  EXPECT_FALSE(extra->defect().has_value());
  EXPECT_EQ(extra->body(), "abc");

  auto missing = parse_message(head + "\r\nrest of datagram");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->body(), "rest of datagram");
  EXPECT_FALSE(missing->content_length().has_value());

  for (std::string_view bad : {"-1", "abc", "99999999999999999999", "10"}) {
    auto m = parse_message(head + "Content-Length: " + std::string(bad) + "\r\n\r\nabc");
    ASSERT_TRUE(m.has_value()) << bad;
    ASSERT_TRUE(m->defect().has_value()) << bad;
    EXPECT_EQ(m->defect()->status, 400);
  }
}

TEST(MessageParse, MaxForwardsAndExpiresLimits) {
  const std::string head(kOptions.substr(0, kOptions.find("Max-Forwards")));
  const std::string tail(kOptions.substr(kOptions.find("To:")));
  auto big = parse_message(head + "Max-Forwards: 256\r\n" + tail);
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ(big->defect()->status, 400);
  EXPECT_FALSE(big->max_forwards().has_value());
  auto none = parse_message(head + tail);
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->defect().has_value());  // a missing Max-Forwards is tolerated
  auto expires = parse_message(head + "Expires: 4294967296\r\n" + tail);
  ASSERT_TRUE(expires.has_value());
  EXPECT_TRUE(expires->defect().has_value());
  auto ok = parse_message(head + "Expires: 4294967295\r\n" + tail);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->expires(), 4294967295u);
}

TEST(MessageParse, BadStartLinesAreHardErrors) {
  const std::string rest(kOptions.substr(kOptions.find("\r\n")));
  for (std::string_view start :
       {"SIP/2.0 99 Low", "SIP/2.0 700 High", "SIP/2.0 2000 Big", "SIP/2.0 4294967301 x",
        "SIP/3.0 200 OK", "SIP/2.0 2x0 OK", "OPTIONS sip:x", "OPTIONS", "GET / HTTP/1.1",
        "<> sip:x SIP/2.0", " OPTIONS sip:x SIP/2.0"}) {
    EXPECT_FALSE(parse_message(std::string(start) + rest).has_value()) << start;
  }
  EXPECT_FALSE(parse_message("").has_value());
  EXPECT_FALSE(parse_message("\r\n\r\n").has_value());
  auto noreason = parse_message("SIP/2.0 200\r\n" + rest.substr(2));
  ASSERT_TRUE(noreason.has_value());
  EXPECT_EQ(noreason->reason(), "");
}

TEST(MessageParse, VersionAndRequestLineDefects) {
  const std::string rest(kOptions.substr(kOptions.find("\r\n")));
  auto v = parse_message("OPTIONS sip:carol@chicago.example.com SIP/2.1" + rest);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->defect()->status, 505);
  auto h = parse_message("OPTIONS sip:carol@chicago.example.com?X=1 SIP/2.0" + rest);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->defect()->status, 400);
}

TEST(MessageParse, SizeAndHeaderCountLimits) {
  std::string huge(kOptions.substr(0, kOptions.size() - 2));
  huge += "X-Pad: " + std::string(64 * 1024, 'a') + "\r\n\r\n";
  EXPECT_FALSE(parse_message(huge).has_value());

  std::string many(kOptions.substr(0, kOptions.size() - 2));
  for (int i = 0; i < 10000; ++i) many += "A:\r\n";
  many += "\r\n";
  ASSERT_LE(many.size(), 64u * 1024);
  const auto start = std::chrono::steady_clock::now();
  auto parsed = parse_message(many);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(parsed.has_value());
  EXPECT_LT(elapsed, std::chrono::milliseconds(100));

  std::string allowed(kOptions.substr(0, kOptions.size() - 2));
  for (int i = 0; i < 900; ++i) allowed += "X-A: 1\r\n";
  allowed += "\r\n";
  auto ok = parse_message(allowed);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->values("X-A").size(), 900u);
}

TEST(MessageParse, LongFoldedValueStaysLinear) {
  std::string folded(kOptions.substr(0, kOptions.size() - 2));
  folded += "X-Long: a\r\n";
  for (int i = 0; i < 15000; ++i) folded += " b\r\n";
  folded += "\r\n";
  const auto start = std::chrono::steady_clock::now();
  auto m = parse_message(folded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->find("X-Long")->value.size(), 1 + 2 * 15000u);
}

TEST(MessageParse, MissingOrRepeatedMandatoryHeaders) {
  auto no_via = parse_message(
      "OPTIONS sip:x@y SIP/2.0\r\nTo: <sip:x@y>\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: c\r\n"
      "CSeq: 1 OPTIONS\r\n\r\n");
  ASSERT_TRUE(no_via.has_value());
  EXPECT_EQ(no_via->defect()->status, 400);
  auto two_to = parse_message(std::string(kOptions.substr(0, kOptions.size() - 2)) +
                              "To: <sip:other@example.com>\r\n\r\n");
  ASSERT_TRUE(two_to.has_value());
  EXPECT_EQ(two_to->defect()->status, 400);
}

TEST(MessageParse, ResponseWithDefectIsStillReadable) {
  auto m = parse_message(
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:b@x>;tag=9\r\n"
      "From: <sip:a@y>;tag=1\r\nCall-ID: c1\r\nCSeq: 99999999999 INVITE\r\n\r\n");
  ASSERT_TRUE(m.has_value());
  EXPECT_TRUE(m->is_response());
  EXPECT_TRUE(m->defect().has_value());
  EXPECT_EQ(m->cseq(), nullptr);
  EXPECT_NE(m->top_via(), nullptr);
}

}  // namespace
}  // namespace kolokol::sip
