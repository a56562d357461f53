#include "sip/auth/digest_client.h"

#include <gtest/gtest.h>

#include "base/timer_service.h"
#include "sip/auth/digest_server.h"

namespace kolokol::sip {
namespace {

Message register_request() {
  auto uri = parse_uri("sip:example.com");
  EXPECT_TRUE(uri);
  Message request = Message::request(Method::Register, uri ? std::move(*uri) : Uri{});
  request.add_header(HeaderId::CSeq, "1 REGISTER");
  return request;
}

DigestCredentials credentials_in(const Message& request, HeaderId header) {
  const Header* line = request.find(header);
  EXPECT_NE(line, nullptr);
  if (line == nullptr) return {};
  auto credentials = parse_digest_credentials(line->value);
  EXPECT_TRUE(credentials) << line->value;
  return credentials ? std::move(*credentials) : DigestCredentials{};
}

class DigestClientTest : public ::testing::Test {
 protected:
  DigestClientTest() {
    DigestServer::Config config;
    config.realm = "example.com";
    config.nonce_lifetime = std::chrono::seconds(30);
    server_.emplace(config, timers_);
  }

  Message challenge(int status = 401, bool stale = false) {
    Message response = Message::response(status);
    server_->add_challenges(response, stale);
    return response;
  }

  DigestVerdict server_check(const Message& request, std::string_view password = "pw") {
    return server_->verify(credentials_in(request, HeaderId::Authorization), request,
                           DigestSecret{std::string(password), {}, {}});
  }

  base::ManualTimerService timers_;
  std::optional<DigestServer> server_;
  int cnonces_ = 0;
  DigestClient client_{"alice", "pw", [this] { return "cn" + std::to_string(++cnonces_); }};
};

TEST_F(DigestClientTest, NothingToAddBeforeAChallenge) {
  Message request = register_request();
  EXPECT_FALSE(client_.authorize(request));
  EXPECT_EQ(request.find(HeaderId::Authorization), nullptr);
}

TEST_F(DigestClientTest, AnswersSha256AndCountsNonceUses) {
  ASSERT_EQ(client_.on_challenge(challenge()), DigestClient::ChallengeOutcome::Retry);
  Message first = register_request();
  ASSERT_TRUE(client_.authorize(first));
  auto credentials = credentials_in(first, HeaderId::Authorization);
  EXPECT_EQ(credentials.algorithm, DigestAlgorithm::Sha256);
  EXPECT_EQ(credentials.username, "alice");
  EXPECT_EQ(credentials.uri, "sip:example.com");
  EXPECT_EQ(credentials.qop, DigestQop::Auth);
  EXPECT_EQ(credentials.nc, "00000001");
  EXPECT_EQ(credentials.cnonce, "cn1");
  EXPECT_TRUE(credentials.opaque);
  EXPECT_EQ(server_check(first), DigestVerdict::Ok);

  Message second = register_request();
  ASSERT_TRUE(client_.authorize(second));
  EXPECT_EQ(first.count(HeaderId::Authorization), 1u);
  EXPECT_EQ(credentials_in(second, HeaderId::Authorization).nc, "00000002");
  EXPECT_EQ(server_check(second), DigestVerdict::Ok);
  EXPECT_EQ(server_check(second), DigestVerdict::Replay);
}

TEST_F(DigestClientTest, AuthorizeReplacesOldCredentials) {
  client_.on_challenge(challenge());
  Message request = register_request();
  client_.authorize(request);
  client_.authorize(request);
  EXPECT_EQ(request.count(HeaderId::Authorization), 1u);
}

TEST_F(DigestClientTest, FallsBackToMd5WhenSha256IsNotOffered) {
  Message response = Message::response(401);
  response.add_header(
      HeaderId::WwwAuthenticate,
      "Digest realm=\"example.com\", nonce=\"n\", algorithm=SHA-512-256, qop=\"auth\"");
  response.add_header(HeaderId::WwwAuthenticate,
                      "Digest realm=\"example.com\", nonce=\"n\", qop=\"auth\"");
  ASSERT_EQ(client_.on_challenge(response), DigestClient::ChallengeOutcome::Retry);
  Message request = register_request();
  ASSERT_TRUE(client_.authorize(request));
  EXPECT_EQ(credentials_in(request, HeaderId::Authorization).algorithm, DigestAlgorithm::Md5);
}

TEST_F(DigestClientTest, StaleRetriesAndRepeatedChallengeMeansRejected) {
  client_.on_challenge(challenge());
  Message request = register_request();
  client_.authorize(request);
  timers_.advance(std::chrono::seconds(31));
  EXPECT_EQ(server_check(request), DigestVerdict::Stale);

  EXPECT_EQ(client_.on_challenge(challenge(401, true)), DigestClient::ChallengeOutcome::RetryStale);
  Message retry = register_request();
  ASSERT_TRUE(client_.authorize(retry));
  EXPECT_EQ(credentials_in(retry, HeaderId::Authorization).nc, "00000001");
  EXPECT_EQ(server_check(retry), DigestVerdict::Ok);

  // The server challenges again without stale: our password is wrong.
  EXPECT_EQ(client_.on_challenge(challenge()), DigestClient::ChallengeOutcome::Rejected);
}

TEST_F(DigestClientTest, WrongPasswordFailsAtTheServer) {
  DigestClient wrong("alice", "nope");
  wrong.on_challenge(challenge());
  Message request = register_request();
  wrong.authorize(request);
  EXPECT_EQ(server_check(request), DigestVerdict::WrongResponse);
  // Random cnonces by default.
  EXPECT_EQ(credentials_in(request, HeaderId::Authorization).cnonce->size(), 24u);
}

TEST_F(DigestClientTest, ProxyChallengesGetProxyAuthorization) {
  ASSERT_EQ(client_.on_challenge(challenge(407)), DigestClient::ChallengeOutcome::Retry);
  Message request = register_request();
  ASSERT_TRUE(client_.authorize(request));
  EXPECT_EQ(request.find(HeaderId::Authorization), nullptr);
  auto credentials = credentials_in(request, HeaderId::ProxyAuthorization);
  EXPECT_EQ(server_->verify(credentials, request, DigestSecret{"pw", {}, {}}), DigestVerdict::Ok);
}

TEST_F(DigestClientTest, UnusableChallenges) {
  Message response = Message::response(401);
  response.add_header(HeaderId::WwwAuthenticate, "Basic realm=\"example.com\"");
  response.add_header(HeaderId::WwwAuthenticate, "Digest realm=\"r\", nonce=\"n\", qop=\"x-new\"");
  response.add_header(HeaderId::WwwAuthenticate, "Digest realm=\"r\"");
  response.add_header(HeaderId::WwwAuthenticate, "Digest realm=\"unterminated");
  EXPECT_EQ(client_.on_challenge(response), DigestClient::ChallengeOutcome::NoUsableChallenge);
  EXPECT_EQ(client_.on_challenge(Message::response(401)),
            DigestClient::ChallengeOutcome::NoUsableChallenge);
}

TEST_F(DigestClientTest, Rfc2069ChallengeGetsAnAnswerWithoutQop) {
  Message response = Message::response(401);
  response.add_header(HeaderId::WwwAuthenticate, "Digest realm=\"old\", nonce=\"abc\"");
  ASSERT_EQ(client_.on_challenge(response), DigestClient::ChallengeOutcome::Retry);
  Message request = register_request();
  ASSERT_TRUE(client_.authorize(request));
  auto credentials = credentials_in(request, HeaderId::Authorization);
  EXPECT_EQ(credentials.qop, DigestQop::None);
  EXPECT_FALSE(credentials.cnonce);
  const std::string ha1 = compute_ha1(DigestAlgorithm::Md5, "alice", "old", "pw");
  const std::string ha2 = digest_hex(DigestAlgorithm::Md5, "REGISTER:sip:example.com");
  EXPECT_EQ(credentials.response, digest_hex(DigestAlgorithm::Md5, ha1 + ":abc:" + ha2));
}

// RFC 7616 3.9.1 through the client's pure function, with the RFC's cnonce.
TEST(DigestAnswer, Rfc7616VectorsThroughAnswerChallenge) {
  auto challenge = parse_digest_challenge(
      "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
      "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
      "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
  ASSERT_TRUE(challenge);
  DigestAnswerInput input;
  input.username = "Mufasa";
  input.password = "Circle of Life";
  input.method = "GET";
  input.uri = "/dir/index.html";
  input.cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  input.nc = 1;
  auto sha = answer_challenge(*challenge, input);
  ASSERT_TRUE(sha);
  EXPECT_EQ(sha->response, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  EXPECT_EQ(sha->qop, DigestQop::Auth);

  challenge->algorithm = DigestAlgorithm::Md5;
  challenge->algorithm_text = "MD5";
  auto md5 = answer_challenge(*challenge, input);
  ASSERT_TRUE(md5);
  EXPECT_EQ(md5->response, "8ca523f5e9506fed4657c9700eebdbec");
  EXPECT_NE(md5->to_string().find("algorithm=MD5"), std::string::npos);
}

// RFC 2617 3.5 through the client's pure function.
TEST(DigestAnswer, Rfc2617VectorThroughAnswerChallenge) {
  auto challenge = parse_digest_challenge(
      "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  ASSERT_TRUE(challenge);
  DigestAnswerInput input;
  input.username = "Mufasa";
  input.password = "Circle Of Life";
  input.method = "GET";
  input.uri = "/dir/index.html";
  input.cnonce = "0a4f113b";
  auto credentials = answer_challenge(*challenge, input);
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->response, "6629fae49393a05397450978507c4ef1");
}

}  // namespace
}  // namespace kolokol::sip
