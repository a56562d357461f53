#include "sip/auth/digest_server.h"

#include <gtest/gtest.h>

#include "base/timer_service.h"
#include "sip/auth/digest_client.h"

namespace kolokol::sip {
namespace {

using std::chrono::seconds;

Uri uri_of(std::string_view text) {
  auto uri = parse_uri(text);
  EXPECT_TRUE(uri) << text;
  return uri ? std::move(*uri) : Uri{};
}

class DigestServerTest : public ::testing::Test {
 protected:
  DigestServer::Config config() {
    DigestServer::Config c;
    c.realm = "example.com";
    c.nonce_lifetime = seconds(60);
    return c;
  }

  DigestCredentials answer(const DigestChallenge& challenge, std::string_view password,
                           std::uint32_t nc = 1, std::string_view uri = "sip:example.com",
                           std::string_view method = "REGISTER") {
    DigestAnswerInput input;
    input.username = "alice";
    input.password = password;
    input.method = method;
    input.uri = uri;
    input.cnonce = "0a4f113b";
    input.nc = nc;
    auto credentials = answer_challenge(challenge, input);
    EXPECT_TRUE(credentials);
    return credentials ? std::move(*credentials) : DigestCredentials{};
  }

  DigestVerdict verify(const DigestCredentials& credentials, const DigestSecret& secret,
                       std::string_view request_uri = "sip:example.com") {
    return server_.verify(credentials, "REGISTER", uri_of(request_uri), secret);
  }

  static DigestSecret password(std::string p) { return DigestSecret{std::move(p), {}, {}}; }

  base::ManualTimerService timers_;
  DigestServer server_{config(), timers_};
};

TEST_F(DigestServerTest, OffersSha256ThenMd5WithOneNonce) {
  auto challenges = server_.make_challenges(false);
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_EQ(challenges[0].algorithm, DigestAlgorithm::Sha256);
  EXPECT_EQ(challenges[1].algorithm, DigestAlgorithm::Md5);
  EXPECT_EQ(challenges[0].nonce, challenges[1].nonce);
  EXPECT_EQ(challenges[0].realm, "example.com");
  EXPECT_TRUE(challenges[0].offers_qop(DigestQop::Auth));
  EXPECT_FALSE(challenges[0].offers_qop(DigestQop::AuthInt));
  EXPECT_TRUE(challenges[0].opaque);
  EXPECT_FALSE(challenges[0].stale);
  EXPECT_TRUE(server_.make_challenges(true)[0].stale);
  EXPECT_NE(server_.make_challenges(false)[0].nonce, challenges[0].nonce);
}

TEST_F(DigestServerTest, ChallengesGoIntoTheRightHeader) {
  Message unauthorized = Message::response(401);
  server_.add_challenges(unauthorized, false);
  EXPECT_EQ(unauthorized.count(HeaderId::WwwAuthenticate), 2u);
  auto first = parse_digest_challenge(unauthorized.find(HeaderId::WwwAuthenticate)->value);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->algorithm, DigestAlgorithm::Sha256);

  Message proxy = Message::response(407);
  server_.add_challenges(proxy, true);
  EXPECT_EQ(proxy.count(HeaderId::ProxyAuthenticate), 2u);
  EXPECT_EQ(proxy.count(HeaderId::WwwAuthenticate), 0u);
}

TEST_F(DigestServerTest, AcceptsCorrectAnswersForEachAlgorithm) {
  // The challenges share one nonce, so the second answer needs the next nonce-count.
  std::uint32_t nc = 1;
  for (const auto& challenge : server_.make_challenges(false)) {
    EXPECT_EQ(verify(answer(challenge, "secret", nc++), password("secret")), DigestVerdict::Ok)
        << algorithm_name(*challenge.algorithm);
  }
}

TEST_F(DigestServerTest, SessionAlgorithmsWhenConfigured) {
  auto c = config();
  c.algorithms = {DigestAlgorithm::Sha256Sess, DigestAlgorithm::Md5Sess};
  DigestServer server(c, timers_);
  std::uint32_t nc = 1;
  for (const auto& challenge : server.make_challenges(false)) {
    EXPECT_EQ(server.verify(answer(challenge, "pw", nc++), "REGISTER", uri_of("sip:example.com"),
                            password("pw")),
              DigestVerdict::Ok);
  }
}

TEST_F(DigestServerTest, AcceptsStoredHa1InsteadOfPassword) {
  auto challenges = server_.make_challenges(false);
  DigestSecret secret;
  secret.ha1_sha256 = compute_ha1(DigestAlgorithm::Sha256, "alice", "example.com", "pw");
  EXPECT_EQ(verify(answer(challenges[0], "pw"), secret), DigestVerdict::Ok);
  // Only a SHA-256 HA1 stored: MD5 credentials cannot be checked.
  EXPECT_EQ(verify(answer(challenges[1], "pw", 2), secret), DigestVerdict::NoSecret);
  secret.ha1_md5 = compute_ha1(DigestAlgorithm::Md5, "alice", "example.com", "pw");
  EXPECT_EQ(verify(answer(challenges[1], "pw", 2), secret), DigestVerdict::Ok);
}

TEST_F(DigestServerTest, WrongPasswordIsWrongResponse) {
  auto challenge = server_.make_challenges(false)[0];
  EXPECT_EQ(verify(answer(challenge, "guess"), password("secret")), DigestVerdict::WrongResponse);
}

TEST_F(DigestServerTest, TamperedCredentialsFail) {
  auto challenge = server_.make_challenges(false)[0];
  auto credentials = answer(challenge, "pw");
  credentials.username = "mallory";
  EXPECT_EQ(verify(credentials, password("pw")), DigestVerdict::WrongResponse);
}

TEST_F(DigestServerTest, WrongRealm) {
  auto challenge = server_.make_challenges(false)[0];
  challenge.realm = "example.org";
  EXPECT_EQ(verify(answer(challenge, "pw"), password("pw")), DigestVerdict::WrongRealm);
}

TEST_F(DigestServerTest, NonceOfAnotherRealmIsBad) {
  auto challenge = server_.make_challenges(false, "other.example")[0];
  auto credentials = answer(challenge, "pw");
  credentials.realm = "example.com";
  credentials.opaque.reset();
  EXPECT_EQ(verify(credentials, password("pw")), DigestVerdict::BadNonce);
  // The same server serves other realms when asked to.
  EXPECT_EQ(server_.verify(answer(challenge, "pw"), "REGISTER", uri_of("sip:example.com"),
                           password("pw"), {}, "other.example"),
            DigestVerdict::Ok);
}

TEST_F(DigestServerTest, ForgedOrForeignNoncesAreBad) {
  auto challenge = server_.make_challenges(false)[0];
  auto forged = challenge;
  forged.nonce[3] = forged.nonce[3] == 'a' ? 'b' : 'a';
  EXPECT_EQ(verify(answer(forged, "pw"), password("pw")), DigestVerdict::BadNonce);
  auto short_nonce = challenge;
  short_nonce.nonce = "abc";
  EXPECT_EQ(verify(answer(short_nonce, "pw"), password("pw")), DigestVerdict::BadNonce);

  DigestServer other(config(), timers_);  // another random secret
  EXPECT_EQ(
      other.verify(answer(challenge, "pw"), "REGISTER", uri_of("sip:example.com"), password("pw")),
      DigestVerdict::BadNonce);
}

TEST_F(DigestServerTest, WrongOpaqueIsRejectedAbsentOpaqueTolerated) {
  auto challenge = server_.make_challenges(false)[0];
  auto credentials = answer(challenge, "pw");
  credentials.opaque = "0000";
  EXPECT_EQ(verify(credentials, password("pw")), DigestVerdict::BadNonce);
  credentials.opaque.reset();
  EXPECT_EQ(verify(credentials, password("pw")), DigestVerdict::Ok);
}

TEST_F(DigestServerTest, UriMustNameTheRequestUri) {
  auto challenge = server_.make_challenges(false)[0];
  EXPECT_EQ(verify(answer(challenge, "pw", 1, "sip:other.com"), password("pw")),
            DigestVerdict::WrongUri);
  // Equivalent URIs (RFC 3261 19.1.4: host case) match.
  EXPECT_EQ(verify(answer(challenge, "pw", 2, "sip:EXAMPLE.com"), password("pw")),
            DigestVerdict::Ok);
  EXPECT_EQ(verify(answer(challenge, "pw", 3, "sip:bob@example.com;transport=tcp"), password("pw"),
                   "sip:bob@example.com;transport=tcp"),
            DigestVerdict::Ok);
  EXPECT_FALSE(digest_uri_matches("not a uri", uri_of("sip:example.com")));
}

TEST_F(DigestServerTest, ExpiredNonceWithCorrectResponseIsStale) {
  auto challenge = server_.make_challenges(false)[0];
  EXPECT_EQ(server_.check_nonce(challenge.nonce), DigestServer::NonceState::Fresh);
  timers_.advance(std::chrono::seconds(59));
  EXPECT_EQ(verify(answer(challenge, "pw", 1), password("pw")), DigestVerdict::Ok);
  timers_.advance(std::chrono::seconds(2));
  EXPECT_EQ(server_.check_nonce(challenge.nonce), DigestServer::NonceState::Expired);
  EXPECT_EQ(verify(answer(challenge, "pw", 2), password("pw")), DigestVerdict::Stale);
  // A wrong password does not earn the stale hint.
  EXPECT_EQ(verify(answer(challenge, "bad", 3), password("pw")), DigestVerdict::WrongResponse);
  EXPECT_EQ(server_.check_nonce("garbage"), DigestServer::NonceState::Invalid);
}

TEST_F(DigestServerTest, NonceCountsMustGrow) {
  auto challenge = server_.make_challenges(false)[0];
  EXPECT_EQ(verify(answer(challenge, "pw", 1), password("pw")), DigestVerdict::Ok);
  EXPECT_EQ(verify(answer(challenge, "pw", 1), password("pw")), DigestVerdict::Replay);
  EXPECT_EQ(verify(answer(challenge, "pw", 3), password("pw")), DigestVerdict::Ok);
  EXPECT_EQ(verify(answer(challenge, "pw", 2), password("pw")), DigestVerdict::Replay);
  EXPECT_EQ(verify(answer(challenge, "pw", 4), password("pw")), DigestVerdict::Ok);
  EXPECT_EQ(verify(answer(challenge, "pw", 0), password("pw")), DigestVerdict::Replay);
}

TEST_F(DigestServerTest, FailedAttemptsDoNotConsumeNonceCounts) {
  auto challenge = server_.make_challenges(false)[0];
  EXPECT_EQ(verify(answer(challenge, "bad", 1), password("pw")), DigestVerdict::WrongResponse);
  EXPECT_EQ(verify(answer(challenge, "pw", 1), password("pw")), DigestVerdict::Ok);
}

TEST_F(DigestServerTest, ForgottenNoncesTurnStaleNotReplayable) {
  auto c = config();
  c.max_tracked_nonces = 2;
  DigestServer server(c, timers_);
  auto check = [&](const DigestChallenge& challenge, std::uint32_t nc) {
    return server.verify(answer(challenge, "pw", nc), "REGISTER", uri_of("sip:example.com"),
                         password("pw"));
  };
  auto first = server.make_challenges(false)[0];
  auto second = server.make_challenges(false)[0];
  auto third = server.make_challenges(false)[0];
  EXPECT_EQ(check(first, 1), DigestVerdict::Ok);
  EXPECT_EQ(check(second, 1), DigestVerdict::Ok);
  EXPECT_EQ(check(third, 1), DigestVerdict::Ok);  // evicts first
  EXPECT_EQ(check(first, 1), DigestVerdict::Stale);
  EXPECT_EQ(check(first, 9), DigestVerdict::Stale);
  auto fourth = server.make_challenges(false)[0];
  EXPECT_EQ(check(fourth, 1), DigestVerdict::Ok);
  EXPECT_EQ(check(third, 1), DigestVerdict::Replay);
}

TEST_F(DigestServerTest, UnofferedAlgorithmsAndQopsAreUnsupported) {
  auto challenge = server_.make_challenges(false)[0];
  auto sess = challenge;
  sess.algorithm = DigestAlgorithm::Md5Sess;
  sess.algorithm_text = "MD5-sess";
  EXPECT_EQ(verify(answer(sess, "pw"), password("pw")), DigestVerdict::Unsupported);

  auto credentials = answer(challenge, "pw");
  credentials.algorithm.reset();
  credentials.algorithm_text = "SHA-512-256";
  EXPECT_EQ(verify(credentials, password("pw")), DigestVerdict::Unsupported);

  auto auth_int = challenge;
  auth_int.qop_options = {"auth-int"};
  EXPECT_EQ(verify(answer(auth_int, "pw"), password("pw")), DigestVerdict::Unsupported);

  auto rfc2069 = challenge;
  rfc2069.qop_options.clear();
  EXPECT_EQ(verify(answer(rfc2069, "pw"), password("pw")), DigestVerdict::Unsupported);

  auto hashed_user = answer(challenge, "pw");
  hashed_user.userhash = true;
  EXPECT_EQ(verify(hashed_user, password("pw")), DigestVerdict::Unsupported);
}

TEST_F(DigestServerTest, Rfc2069CredentialsWhenAllowed) {
  auto c = config();
  c.accept_rfc2069 = true;
  DigestServer server(c, timers_);
  auto challenge = server.make_challenges(false)[1];
  challenge.qop_options.clear();
  auto credentials = answer(challenge, "pw");
  EXPECT_FALSE(credentials.cnonce);
  EXPECT_TRUE(credentials.nc.empty());
  EXPECT_EQ(server.verify(credentials, "REGISTER", uri_of("sip:example.com"), password("pw")),
            DigestVerdict::Ok);
}

TEST_F(DigestServerTest, SuppliedSecretMakesNoncesPortableBetweenInstances) {
  auto c = config();
  c.secret = "shared secret";
  DigestServer one(c, timers_);
  DigestServer two(c, timers_);
  auto challenge = one.make_challenges(false)[0];
  EXPECT_EQ(
      two.verify(answer(challenge, "pw"), "REGISTER", uri_of("sip:example.com"), password("pw")),
      DigestVerdict::Ok);
}

TEST_F(DigestServerTest, VerifiesAgainstAMessage) {
  auto request_uri = uri_of("sip:example.com");
  Message request = Message::request(Method::Register, request_uri);
  auto challenge = server_.make_challenges(false)[0];
  EXPECT_EQ(server_.verify(answer(challenge, "pw"), request, password("pw")), DigestVerdict::Ok);
  EXPECT_EQ(verdict_name(DigestVerdict::Stale), "stale nonce");
}

}  // namespace
}  // namespace kolokol::sip
