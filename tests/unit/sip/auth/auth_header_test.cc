#include "sip/auth/auth_header.h"

#include <gtest/gtest.h>

#include <random>

#include "sip/auth/digest_fields.h"

namespace kolokol::sip {
namespace {

TEST(AuthHeader, ParsesQuotedAndTokenValuesWithEscapes) {
  auto value = parse_auth_value(
      "Digest  realm = \"a \\\"quoted\\\" realm\" ,nonce=\"n1\",algorithm=SHA-256,"
      "qop=\"auth,auth-int\", x-new = tok");
  ASSERT_TRUE(value) << value.error().detail;
  EXPECT_TRUE(value->is_digest());
  ASSERT_EQ(value->params.size(), 5u);
  EXPECT_EQ(value->find("REALM")->value, "a \"quoted\" realm");
  EXPECT_TRUE(value->find("realm")->quoted);
  EXPECT_EQ(value->find("algorithm")->value, "SHA-256");
  EXPECT_FALSE(value->find("algorithm")->quoted);
  EXPECT_EQ(value->find("x-new")->value, "tok");
  EXPECT_EQ(value->to_string(),
            "Digest realm=\"a \\\"quoted\\\" realm\", nonce=\"n1\", algorithm=SHA-256, "
            "qop=\"auth,auth-int\", x-new=tok");
}

TEST(AuthHeader, OtherSchemesAreKeptAsWritten) {
  auto value = parse_auth_value("NoOneKnowsThisScheme opaque-data=here");
  ASSERT_TRUE(value);
  EXPECT_FALSE(value->is_digest());
  EXPECT_EQ(value->scheme, "NoOneKnowsThisScheme");
  EXPECT_EQ(value->other_text, "opaque-data=here");
  EXPECT_EQ(value->to_string(), "NoOneKnowsThisScheme opaque-data=here");
  auto basic = parse_auth_value("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->other_text, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

TEST(AuthHeader, RejectsMalformedValues) {
  for (const char* text : {"", "   ", "Digest", "Digest realm", "Digest realm=", "Digest realm=\"x",
                           "Digest realm=\"x\" nonce=\"y\"", "Digest realm=x,,", "Digest =x",
                           "Digest realm=a, realm=b", "Digest realm=\"a\\", "\"Digest\" a=b",
                           "Dig\x01st a=b", "Digest realm=\"a\r\nb\""}) {
    auto value = parse_auth_value(text);
    EXPECT_FALSE(value) << "accepted: " << text;
    if (!value) {
      EXPECT_EQ(value.error().failure, AuthParseFailure::Malformed) << text;
    }
  }
}

TEST(AuthHeader, BoundsLengthAndParameterCount) {
  std::string long_value = "Digest realm=\"" + std::string(kMaxAuthValueLength, 'a') + "\"";
  EXPECT_FALSE(parse_auth_value(long_value));
  std::string many = "Digest ";
  for (std::size_t i = 0; i <= kMaxAuthParams; ++i) many += "p" + std::to_string(i) + "=v,";
  EXPECT_FALSE(parse_auth_value(many));
}

TEST(AuthHeader, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  const std::string alphabet = "Digest realm=\"\\,= \t\r\nabc\x00\xff";
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const int length = static_cast<int>(rng() % 64);
    for (int i = 0; i < length; ++i) text.push_back(alphabet[rng() % alphabet.size()]);
    auto value = parse_auth_value(text);
    if (value) (void)value->to_string();
    (void)parse_digest_challenge(text);
    (void)parse_digest_credentials(text);
  }
}

TEST(DigestFields, ParsesRfc7616Challenge) {
  auto challenge = parse_digest_challenge(
      "Digest\r\n realm=\"http-auth@example.org\",\r\n qop=\"auth, auth-int\",\r\n"
      " algorithm=SHA-256,\r\n nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n"
      " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
  ASSERT_TRUE(challenge) << challenge.error().detail;
  EXPECT_EQ(challenge->realm, "http-auth@example.org");
  EXPECT_EQ(challenge->algorithm, DigestAlgorithm::Sha256);
  ASSERT_EQ(challenge->qop_options.size(), 2u);
  EXPECT_TRUE(challenge->offers_qop(DigestQop::Auth));
  EXPECT_TRUE(challenge->offers_qop(DigestQop::AuthInt));
  EXPECT_EQ(challenge->opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
  EXPECT_FALSE(challenge->stale);
}

TEST(DigestFields, ChallengeRoundTripKeepsUnknownParameters) {
  auto challenge = parse_digest_challenge(
      "Digest realm=\"r\", nonce=\"n\", stale=TRUE, algorithm=MD5-sess, qop=\"auth\", "
      "charset=UTF-8, x=\"y\"");
  ASSERT_TRUE(challenge);
  EXPECT_TRUE(challenge->stale);
  EXPECT_EQ(challenge->algorithm, DigestAlgorithm::Md5Sess);
  ASSERT_EQ(challenge->extra.size(), 2u);
  auto again = parse_digest_challenge(challenge->to_string());
  ASSERT_TRUE(again) << challenge->to_string();
  EXPECT_EQ(again->to_string(), challenge->to_string());
  EXPECT_EQ(again->extra, challenge->extra);
}

TEST(DigestFields, ChallengeAlgorithmDefaultsToMd5AndUnknownIsReported) {
  auto md5 = parse_digest_challenge("Digest realm=\"r\", nonce=\"n\"");
  ASSERT_TRUE(md5);
  EXPECT_EQ(md5->algorithm, DigestAlgorithm::Md5);
  auto other = parse_digest_challenge("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256");
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->algorithm);
  EXPECT_EQ(other->algorithm_text, "SHA-512-256");
}

TEST(DigestFields, ChallengeErrors) {
  auto unknown = parse_digest_challenge("Basic realm=\"r\"");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().failure, AuthParseFailure::UnknownScheme);
  auto no_nonce = parse_digest_challenge("Digest realm=\"r\"");
  ASSERT_FALSE(no_nonce);
  EXPECT_EQ(no_nonce.error().failure, AuthParseFailure::MissingParameter);
}

TEST(DigestFields, ParsesRfc2617Credentials) {
  auto credentials = parse_digest_credentials(
      "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, "
      "nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
      "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  ASSERT_TRUE(credentials) << credentials.error().detail;
  EXPECT_EQ(credentials->username, "Mufasa");
  EXPECT_EQ(credentials->uri, "/dir/index.html");
  EXPECT_EQ(credentials->qop, DigestQop::Auth);
  EXPECT_EQ(credentials->nc, "00000001");
  EXPECT_EQ(credentials->cnonce, "0a4f113b");
  EXPECT_EQ(credentials->algorithm, DigestAlgorithm::Md5);
  auto again = parse_digest_credentials(credentials->to_string());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->to_string(), credentials->to_string());
}

TEST(DigestFields, CredentialErrors) {
  struct Case {
    const char* text;
    AuthParseFailure failure;
  };
  const Case cases[] = {
      {"NoOneKnowsThisScheme opaque-data=here", AuthParseFailure::UnknownScheme},
      {"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\"",
       AuthParseFailure::MissingParameter},
      {"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"x\", qop=auth",
       AuthParseFailure::BadParameter},
      {"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"x\", "
       "qop=auth, cnonce=\"c\", nc=1",
       AuthParseFailure::BadParameter},
      {"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"x\", "
       "qop=auth, cnonce=\"c\", nc=0000000g",
       AuthParseFailure::BadParameter},
      {"Digest username=\"u\" realm=\"r\"", AuthParseFailure::Malformed},
  };
  for (const auto& c : cases) {
    auto credentials = parse_digest_credentials(c.text);
    ASSERT_FALSE(credentials) << c.text;
    EXPECT_EQ(credentials.error().failure, c.failure) << c.text;
  }
}

TEST(DigestFields, NonceCountFormatting) {
  EXPECT_EQ(format_nonce_count(1), "00000001");
  EXPECT_EQ(format_nonce_count(0xabcdef12u), "abcdef12");
  EXPECT_EQ(parse_nonce_count("0000000A"), 10u);
  EXPECT_FALSE(parse_nonce_count("0000001"));
  EXPECT_FALSE(parse_nonce_count("+0000001"));
}

}  // namespace
}  // namespace kolokol::sip
