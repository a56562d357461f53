#include "sip/core/request_validator.h"

#include <gtest/gtest.h>

#include "test_messages.h"

namespace kolokol::sip {
namespace {

using testing::parse_text;
using testing::request_text;
using testing::test_policy;

std::optional<Rejection> check(std::string_view request_line, std::string_view headers = {},
                               std::string_view body = {}) {
  Message request = parse_text(request_text(request_line, headers, body));
  return validate_request(request, test_policy());
}

std::string header_of(const Rejection& rejection, HeaderId id) {
  for (const auto& [header, value] : rejection.headers) {
    if (header == id) return value;
  }
  return "<absent>";
}

constexpr std::string_view kSdp =
    "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n";

TEST(RequestValidator, PlainRequestsGoOn) {
  EXPECT_FALSE(check("OPTIONS sip:bob@example.com SIP/2.0"));
  EXPECT_FALSE(
      check("INVITE sip:bob@EXAMPLE.com SIP/2.0", "Content-Type: application/sdp\n", kSdp));
  EXPECT_FALSE(check("REGISTER sip:127.0.0.1 SIP/2.0"));
  EXPECT_FALSE(check("INVITE tel:+15551234567 SIP/2.0"));
  std::string zero_hops = request_text("OPTIONS sip:bob@example.com SIP/2.0");
  zero_hops.replace(zero_hops.find("Max-Forwards: 70"), 16, "Max-Forwards: 0");
  EXPECT_FALSE(validate_request(parse_text(zero_hops), test_policy()));
}

TEST(RequestValidator, ParserDefectsKeepTheirStatusAndNameTheProblem) {
  Message request = parse_text(
      "OPTIONS sip:bob@example.com SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx\n"
      "To: <sip:bob@example.com>\n"
      "From: <sip:alice@example.net>;tag=1\n"
      "CSeq: 1 OPTIONS\n"
      "Content-Length: 0\n\n");
  auto rejection = validate_request(request, test_policy());
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->status, 400);
  EXPECT_NE(rejection->warning.find("Call-ID"), std::string::npos) << rejection->warning;
}

TEST(RequestValidator, UnknownMethodIs501KnownButNotAllowedIs405) {
  auto unknown = check("FOO sip:bob@example.com SIP/2.0");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 501);
  auto publish = check("PUBLISH sip:bob@example.com SIP/2.0");
  ASSERT_TRUE(publish);
  EXPECT_EQ(publish->status, 405);
  const std::string allow = header_of(*publish, HeaderId::Allow);
  EXPECT_NE(allow.find("INVITE"), std::string::npos);
  EXPECT_EQ(allow.find("PUBLISH"), std::string::npos);
}

TEST(RequestValidator, MethodIsCheckedBeforeTheTarget) {
  auto rejection = check("FOO sip:bob@elsewhere.example SIP/2.0");
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->status, 501);
}

TEST(RequestValidator, UnsupportedSchemeIs416AndForeignDomainIs404) {
  auto scheme = check("OPTIONS mailto:bob@example.com SIP/2.0");
  ASSERT_TRUE(scheme);
  EXPECT_EQ(scheme->status, 416);
  auto domain = check("OPTIONS sip:bob@elsewhere.example SIP/2.0");
  ASSERT_TRUE(domain);
  EXPECT_EQ(domain->status, 404);
  EXPECT_NE(domain->warning.find("elsewhere.example"), std::string::npos);
  EXPECT_FALSE(check("OPTIONS sips:bob@example.org SIP/2.0"));
}

TEST(RequestValidator, EmptyDomainListServesAnyHost) {
  Message request = parse_text(request_text("OPTIONS sip:bob@anything.example SIP/2.0"));
  EXPECT_FALSE(validate_request(request, UasPolicy::defaults()));
}

TEST(RequestValidator, UnknownRequireIs420ListingOnlyTheUnknownTags) {
  auto rejection = check("INVITE sip:bob@example.com SIP/2.0",
                         "Require: 100rel, foo\nRequire: Timer,bar\nProxy-Require: baz\n");
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->status, 420);
  EXPECT_EQ(header_of(*rejection, HeaderId::Unsupported), "foo, bar");
  EXPECT_FALSE(check("INVITE sip:bob@example.com SIP/2.0", "Require: 100rel\n"));
  EXPECT_FALSE(check("OPTIONS sip:bob@example.com SIP/2.0", "Proxy-Require: baz\n"));
}

TEST(RequestValidator, RequireIsIgnoredForCancelAndAck) {
  EXPECT_FALSE(check("CANCEL sip:bob@example.com SIP/2.0", "Require: foo\n"));
  EXPECT_FALSE(check("ACK sip:bob@example.com SIP/2.0", "Require: foo\n"));
}

TEST(RequestValidator, UnknownBodyTypeIs415WithAccept) {
  auto rejection = check("INVITE sip:bob@example.com SIP/2.0",
                         "Content-Type: application/unknownformat\n", "<audio/>\n");
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->status, 415);
  EXPECT_NE(header_of(*rejection, HeaderId::Accept).find("application/sdp"), std::string::npos);
  EXPECT_EQ(header_of(*rejection, HeaderId::AcceptEncoding), "identity");
}

TEST(RequestValidator, ContentTypeWithoutBodyIsNotJudged) {
  EXPECT_FALSE(check("INVITE sip:bob@example.com SIP/2.0", "Content-Type: application/weird\n"));
}

TEST(RequestValidator, AcceptedBodyTypesPass) {
  EXPECT_FALSE(check("INFO sip:bob@example.com SIP/2.0", "Content-Type: application/dtmf-relay\n",
                     "Signal=1\nDuration=160\n"));
  EXPECT_FALSE(check("NOTIFY sip:bob@example.com SIP/2.0",
                     "Content-Type: message/sipfrag;version=2.0\n", "SIP/2.0 200 OK\n"));
}

TEST(RequestValidator, UnknownContentEncodingIs415) {
  auto rejection = check("INVITE sip:bob@example.com SIP/2.0",
                         "Content-Type: application/sdp\nContent-Encoding: gzip\n", kSdp);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->status, 415);
  EXPECT_EQ(header_of(*rejection, HeaderId::AcceptEncoding), "identity");
  EXPECT_FALSE(check("INVITE sip:bob@example.com SIP/2.0",
                     "Content-Type: application/sdp\ne: identity\n", kSdp));
}

TEST(RequestValidator, BodyWithoutContentTypeIs400) {
  auto rejection = check("INVITE sip:bob@example.com SIP/2.0", {}, kSdp);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->status, 400);
}

TEST(RequestValidator, MultipartIsUnderstoodWhenAPartIs) {
  const std::string sdp_part = "--xyz\nContent-Type: application/sdp\n\n" + std::string(kSdp) +
                               "--xyz\nContent-Type: application/isup\n\nbinary\n--xyz--\n";
  EXPECT_FALSE(check("INVITE sip:bob@example.com SIP/2.0",
                     "Content-Type: multipart/mixed;boundary=xyz\n", sdp_part));
  const std::string no_known = "--xyz\nContent-Type: application/isup\n\nbinary\n--xyz--\n";
  auto rejection = check("INVITE sip:bob@example.com SIP/2.0",
                         "Content-Type: multipart/mixed; boundary=\"xyz\"\n", no_known);
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->status, 415);
  auto no_boundary =
      check("INVITE sip:bob@example.com SIP/2.0", "Content-Type: multipart/mixed\n", sdp_part);
  ASSERT_TRUE(no_boundary);
  EXPECT_EQ(no_boundary->status, 415);
}

TEST(RequestValidator, AcceptWithoutSdpOnInviteIs406) {
  auto rejection = check("INVITE sip:bob@example.com SIP/2.0", "Accept: text/nobodyKnowsThis\n");
  ASSERT_TRUE(rejection);
  EXPECT_EQ(rejection->status, 406);
  EXPECT_FALSE(check("INVITE sip:bob@example.com SIP/2.0", "Accept: text/plain, application/*\n"));
  EXPECT_FALSE(check("INVITE sip:bob@example.com SIP/2.0", "Accept: */*\n"));
  EXPECT_FALSE(check("INVITE sip:bob@example.com SIP/2.0", "Accept: Application/SDP\n"));
  auto zero_q = check("INVITE sip:bob@example.com SIP/2.0", "Accept: application/sdp;q=0\n");
  ASSERT_TRUE(zero_q);
  EXPECT_EQ(zero_q->status, 406);
  // OPTIONS is answered without a body: its Accept does not matter.
  EXPECT_FALSE(check("OPTIONS sip:bob@example.com SIP/2.0", "Accept: text/nobodyKnowsThis\n"));
}

}  // namespace
}  // namespace kolokol::sip
