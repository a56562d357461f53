#include "sip/core/default_responder.h"

#include <gtest/gtest.h>

#include "base/timer_service.h"
#include "sip/auth/digest_client.h"
#include "test_messages.h"

namespace kolokol::sip {
namespace {

using testing::parse_text;
using testing::request_text;
using testing::test_policy;

class DefaultResponderTest : public ::testing::Test {
 protected:
  static DigestServer::Config digest_config() {
    DigestServer::Config config;
    config.realm = "example.com";
    return config;
  }

  std::optional<Message> respond(std::string_view request_line, std::string_view headers = {}) {
    return responder_.respond(parse_text(request_text(request_line, headers)));
  }

  int status_of(std::string_view request_line, std::string_view headers = {}) {
    auto response = respond(request_line, headers);
    return response ? response->status() : 0;
  }

  base::ManualTimerService timers_;
  DigestServer digest_{digest_config(), timers_};
  std::optional<DigestSecret> account_;  // the only account, "alice", when set
  RequestAuthenticator auth_{digest_, [this](std::string_view user, std::string_view) {
                               return user == "alice" ? account_ : std::nullopt;
                             }};
  ResponseFactory responses_{"Kolokol/test", "pbx.example.com", IdGenerator(42)};
  DefaultResponder responder_{test_policy(), responses_, auth_};
};

TEST_F(DefaultResponderTest, OptionsGets200WithCapabilities) {
  auto response = respond("OPTIONS sip:bob@example.com SIP/2.0");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 200);
  for (HeaderId id : {HeaderId::Allow, HeaderId::Accept, HeaderId::AcceptEncoding,
                      HeaderId::AcceptLanguage, HeaderId::Supported}) {
    EXPECT_NE(response->find(id), nullptr) << canonical_header_name(id);
  }
  EXPECT_EQ(response->find(HeaderId::Server)->value, "Kolokol/test");
  EXPECT_TRUE(response->to()->tag());
  EXPECT_EQ(response->call_id(), "a84b4c76e66710@pc33.example.net");
  EXPECT_EQ(response->cseq()->method, Method::Options);
  EXPECT_NE(response->to_string().find("Content-Length: 0\r\n"), std::string::npos);
}

TEST_F(DefaultResponderTest, ExistingToTagIsKept) {
  Message request = parse_text(
      "OPTIONS sip:bob@example.com SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx\n"
      "To: <sip:bob@example.com>;tag=abc\n"
      "From: <sip:alice@example.net>;tag=1\n"
      "Call-ID: c1\nCSeq: 2 OPTIONS\nMax-Forwards: 70\nContent-Length: 0\n\n");
  auto in_dialog = responder_.respond(request);
  ASSERT_TRUE(in_dialog);
  EXPECT_EQ(in_dialog->to()->tag(), "abc");
}

TEST_F(DefaultResponderTest, PerMethodDefaults) {
  EXPECT_EQ(status_of("INVITE sip:bob@example.com SIP/2.0"), 480);
  for (const char* line :
       {"BYE sip:bob@example.com SIP/2.0", "CANCEL sip:bob@example.com SIP/2.0",
        "PRACK sip:bob@example.com SIP/2.0", "UPDATE sip:bob@example.com SIP/2.0",
        "INFO sip:bob@example.com SIP/2.0", "NOTIFY sip:bob@example.com SIP/2.0"}) {
    EXPECT_EQ(status_of(line), 481) << line;
  }
  EXPECT_EQ(status_of("SUBSCRIBE sip:bob@example.com SIP/2.0", "Event: presence\n"), 489);
  for (const char* line :
       {"MESSAGE sip:bob@example.com SIP/2.0", "PUBLISH sip:bob@example.com SIP/2.0",
        "REFER sip:bob@example.com SIP/2.0"}) {
    auto response = respond(line);
    ASSERT_TRUE(response) << line;
    EXPECT_EQ(response->status(), 405) << line;
    EXPECT_NE(response->find(HeaderId::Allow), nullptr) << line;
  }
  EXPECT_EQ(status_of("FOO sip:bob@example.com SIP/2.0"), 501);
  EXPECT_FALSE(respond("ACK sip:bob@example.com SIP/2.0"));
}

TEST_F(DefaultResponderTest, ResponsesAndAcksAreNeverAnswered) {
  Message response = parse_text(
      "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx\nTo: <sip:b@example.com>;tag=2\n"
      "From: <sip:a@example.com>;tag=1\nCall-ID: c\nCSeq: 1 INVITE\nContent-Length: 0\n\n");
  EXPECT_FALSE(responder_.respond(response));
  // An ACK with problems still gets nothing.
  EXPECT_FALSE(respond("ACK sip:bob@elsewhere.example SIP/2.0", "Require: foo\n"));
}

TEST_F(DefaultResponderTest, RejectionsCarryWarningAndServer) {
  auto response = respond("OPTIONS sip:bob@elsewhere.example SIP/2.0");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 404);
  const Header* warning = response->find(HeaderId::Warning);
  ASSERT_NE(warning, nullptr);
  EXPECT_EQ(warning->value, "399 pbx.example.com \"domain elsewhere.example not served here\"");
  EXPECT_NE(response->find(HeaderId::Server), nullptr);
  EXPECT_TRUE(response->to()->tag());
}

TEST_F(DefaultResponderTest, DefectWithoutViaIsDropped) {
  Message request = parse_text(
      "OPTIONS sip:bob@example.com SIP/2.0\nTo: <sip:bob@example.com>\n"
      "From: <sip:a@example.com>;tag=1\nCall-ID: c\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n");
  ASSERT_TRUE(request.defect());
  EXPECT_FALSE(responder_.respond(request));
}

TEST_F(DefaultResponderTest, RegisterWithoutCredentialsIsChallenged) {
  auto response = respond("REGISTER sip:example.com SIP/2.0");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 401);
  ASSERT_EQ(response->count(HeaderId::WwwAuthenticate), 2u);
  auto first = parse_digest_challenge(response->find(HeaderId::WwwAuthenticate)->value);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->algorithm, DigestAlgorithm::Sha256);
  EXPECT_EQ(first->realm, "example.com");
  EXPECT_FALSE(first->stale);
  EXPECT_TRUE(response->to()->tag());
}

TEST_F(DefaultResponderTest, RegisterWithUnknownSchemeIsChallenged) {
  EXPECT_EQ(status_of("REGISTER sip:example.com SIP/2.0",
                      "Authorization: NoOneKnowsThisScheme opaque-data=here\n"),
            401);
}

TEST_F(DefaultResponderTest, RegisterWithBrokenDigestIs400) {
  auto response = respond("REGISTER sip:example.com SIP/2.0",
                          "Authorization: Digest username=\"alice\", realm=\"example.com\"\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 400);
  EXPECT_NE(response->find(HeaderId::Warning), nullptr);
}

// Runs the REGISTER / 401 / REGISTER-with-credentials exchange with a DigestClient.
class RegisterFlow : public DefaultResponderTest {
 protected:
  std::optional<Message> register_with(DigestClient& client) {
    auto challenge = respond("REGISTER sip:example.com SIP/2.0");
    EXPECT_TRUE(challenge && challenge->status() == 401);
    if (!challenge) return std::nullopt;
    client.on_challenge(*challenge);
    Message request = parse_text(request_text("REGISTER sip:example.com SIP/2.0"));
    client.authorize(request);
    return responder_.respond(request);
  }
};

TEST_F(RegisterFlow, CredentialsOfNoAccountAre403) {
  DigestClient client("mallory", "pw");
  auto response = register_with(client);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 403);
}

TEST_F(RegisterFlow, WrongPasswordIs403) {
  account_ = DigestSecret{"right", {}, {}};
  DigestClient client("alice", "wrong");
  auto response = register_with(client);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 403);
}

TEST_F(RegisterFlow, ValidCredentialsStillFailWithoutARegistrar) {
  account_ = DigestSecret{"right", {}, {}};
  DigestClient client("alice", "right");
  auto response = register_with(client);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 403);
  EXPECT_NE(response->find(HeaderId::Warning)->value.find("no registrar"), std::string::npos);
}

TEST_F(RegisterFlow, StaleNonceGetsStaleChallenge) {
  account_ = DigestSecret{"right", {}, {}};
  DigestClient client("alice", "right");
  auto challenge = respond("REGISTER sip:example.com SIP/2.0");
  ASSERT_TRUE(challenge);
  client.on_challenge(*challenge);
  timers_.advance(std::chrono::seconds(301));
  Message request = parse_text(request_text("REGISTER sip:example.com SIP/2.0"));
  client.authorize(request);
  auto response = responder_.respond(request);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 401);
  auto again = parse_digest_challenge(response->find(HeaderId::WwwAuthenticate)->value);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->stale);
  EXPECT_EQ(client.on_challenge(*response), DigestClient::ChallengeOutcome::RetryStale);
}

TEST_F(RegisterFlow, ForeignNonceIsChallengedAgain) {
  Message request = parse_text(request_text(
      "REGISTER sip:example.com SIP/2.0",
      "Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"forged\", "
      "uri=\"sip:example.com\", response=\"00\", qop=auth, nc=00000001, cnonce=\"c\"\n"));
  auto response = responder_.respond(request);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 401);
}

TEST_F(RegisterFlow, CredentialsForAnotherRealmAreIgnored) {
  Message request = parse_text(
      request_text("REGISTER sip:example.com SIP/2.0",
                   "Authorization: Digest username=\"alice\", realm=\"other\", nonce=\"n\", "
                   "uri=\"sip:example.com\", response=\"00\"\n"));
  auto response = responder_.respond(request);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 401);
}

TEST_F(RegisterFlow, AuthenticatorReportsTheUser) {
  account_ = DigestSecret{"right", {}, {}};
  DigestClient client("alice", "right");
  auto challenge = respond("REGISTER sip:example.com SIP/2.0");
  ASSERT_TRUE(challenge);
  client.on_challenge(*challenge);
  Message request = parse_text(request_text("REGISTER sip:example.com SIP/2.0"));
  client.authorize(request);
  const AuthOutcome outcome = auth_.authenticate(request);
  EXPECT_EQ(outcome.kind, AuthOutcome::Kind::Authenticated);
  EXPECT_EQ(outcome.username, "alice");
  // The same credentials again: a replayed nonce-count.
  EXPECT_EQ(auth_.authenticate(request).kind, AuthOutcome::Kind::Challenge);
}

TEST(ResponseFactory, WarningTextIsSanitized) {
  ResponseFactory factory("", "agent");
  EXPECT_EQ(factory.warning_value("a \"b\" \\ c\x01\xff"), "399 agent \"a \\\"b\\\" \\\\ c??\"");
  EXPECT_EQ(factory.warning_value(std::string(500, 'x')).size(), 200u + 12u);
}

TEST(ResponseFactory, HundredTryingHasNoTagAndNoServerWhenEmpty) {
  ResponseFactory factory("", "agent");
  Message request =
      testing::parse_text(testing::request_text("INVITE sip:bob@example.com SIP/2.0"));
  Message trying = factory.make(request, 100);
  EXPECT_FALSE(trying.to()->tag());
  EXPECT_EQ(trying.find(HeaderId::Server), nullptr);
  Message ringing = factory.make(request, 180, {}, "fixed");
  EXPECT_EQ(ringing.to()->tag(), "fixed");
}

}  // namespace
}  // namespace kolokol::sip
