// The registrar's RFC 3261 10.3 steps 1-5 and 8: domains and tenants, digest authentication in
// the tenant's realm, who may register what, the throttle, the 200 it answers.
#include "registrar/registrar.h"

#include <gtest/gtest.h>

#include "registrar_fixture.h"

namespace kolokol::registrar::testing {
namespace {

std::string header_text(const sip::Message& message, sip::HeaderId id) {
  const sip::Header* header = message.find(id);
  return header ? std::string(header->value) : std::string();
}

TEST_F(RegistrarTest, RegistersAfterTheDigestChallengeAndListsTheContact) {
  sip::Message ok = do_register("<sip:1001@192.0.2.5:5062>");
  ASSERT_EQ(last_challenge.status(), 401);
  EXPECT_NE(header_text(last_challenge, sip::HeaderId::WwwAuthenticate).find("realm=\"pbx.test\""),
            std::string::npos);
  ASSERT_EQ(ok.status(), 200);
  EXPECT_EQ(contact_values(ok),
            (std::vector<std::string>{"<sip:1001@192.0.2.5:5062>;expires=3600"}));
  EXPECT_EQ(header_text(ok, sip::HeaderId::Date), sip_date(wall));
  auto bound = location.contacts(10, wall);
  ASSERT_EQ(bound.size(), 1u);
  EXPECT_EQ(bound[0]->destination(), (sip::Endpoint{sip::Transport::Udp, "192.0.2.5", 5062}));
  EXPECT_EQ(bound[0]->local(), (sip::Endpoint{sip::Transport::Udp, "127.0.0.1", 5060}));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, BindingChange::Kind::Upsert);
  const storage::ContactBinding& record = changes[0].binding;
  EXPECT_EQ(record.extension_id, 10);
  EXPECT_EQ(record.contact, "sip:1001@192.0.2.5:5062");
  EXPECT_EQ(record.call_id, call_id);
  EXPECT_EQ(record.cseq, static_cast<std::uint32_t>(cseq));
  EXPECT_EQ(record.expires_at, wall + 3600);
  EXPECT_EQ(record.received, "udp:192.0.2.5:5062");
  EXPECT_EQ(record.local, "udp:127.0.0.1:5060");
  EXPECT_EQ(metrics.counter("registrar_registrations_total", "").value(), 1u);
}

TEST_F(RegistrarTest, EachTenantIsChallengedInItsOwnRealm) {
  RegisterSpec carol;
  carol.domain = carol.request_host = "acme.test";
  carol.contacts = "<sip:1001@192.0.2.9>";
  ASSERT_EQ(do_register(carol, "carol-pw").status(), 200);
  EXPECT_NE(
      header_text(last_challenge, sip::HeaderId::WwwAuthenticate).find("realm=\"acme.realm\""),
      std::string::npos);
  EXPECT_EQ(location.contacts(20, wall).size(), 1u);  // acme's 1001, not pbx's
  EXPECT_TRUE(location.contacts(10, wall).empty());
  // Alice's password is not carol's, though both are "1001".
  EXPECT_EQ(do_register(carol, "alice-pw").status(), 403);
}

TEST_F(RegistrarTest, ARequestUriNamingThisServerByAddressServesEveryTenant) {
  RegisterSpec carol;
  carol.domain = "acme.test";
  carol.request_host = "127.0.0.1";
  carol.contacts = "<sip:1001@192.0.2.9>";
  EXPECT_EQ(do_register(carol, "carol-pw").status(), 200);
  EXPECT_EQ(location.contacts(20, wall).size(), 1u);
}

TEST_F(RegistrarTest, DomainsNotOursAre404BeforeAnyChallenge) {
  RegisterSpec spec;
  spec.contacts = "<sip:1001@192.0.2.5>";
  spec.request_host = "other.test";  // 10.3 step 1: not our domain
  EXPECT_EQ(do_register(spec, "alice-pw").status(), 404);
  spec.request_host = "pbx.test";
  spec.domain = "other.test";  // step 5: the address of record is not in the domain
  EXPECT_EQ(do_register(spec, "alice-pw").status(), 404);
  spec.request_host = "acme.test";
  spec.domain = "pbx.test";  // another tenant's domain in the Request-URI
  EXPECT_EQ(do_register(spec, "alice-pw").status(), 404);
  EXPECT_EQ(last_challenge.find(sip::HeaderId::WwwAuthenticate), nullptr);
  EXPECT_EQ(location.size(), 0u);
  EXPECT_EQ(throttle.tracked(), 0u);  // nothing to do with passwords
}

// What a response says beyond the headers copied from its request (RFC 3261 8.2.6.2).
std::vector<std::string> comparable(const sip::Message& response) {
  std::vector<std::string> out{std::to_string(response.status()), std::string(response.reason())};
  for (const sip::Header& header : response.headers()) {
    switch (header.id) {
      case sip::HeaderId::Via:
      case sip::HeaderId::From:
      case sip::HeaderId::To:
      case sip::HeaderId::CallId:
      case sip::HeaderId::CSeq:
        continue;
      default:
        break;
    }
    out.push_back(std::string(header.name) + ": " + std::string(header.value));
  }
  return out;
}

TEST_F(RegistrarTest, UnknownUserAndWrongPasswordLookTheSame) {
  RegisterSpec known;
  known.contacts = "<sip:x@192.0.2.5>";
  sip::Message wrong_password = do_register(known, "nope");
  const int challenged_known = last_challenge.status();
  RegisterSpec unknown = known;
  unknown.user = "1999";
  sip::Message unknown_user = do_register(unknown, "nope");
  EXPECT_EQ(challenged_known, 401);
  EXPECT_EQ(last_challenge.status(), 401);  // an unknown user is challenged like a known one
  EXPECT_EQ(wrong_password.status(), 403);
  EXPECT_EQ(comparable(wrong_password), comparable(unknown_user));
  EXPECT_EQ(comparable(wrong_password),
            (std::vector<std::string>{"403", "Forbidden", "Server: test"}));
  EXPECT_EQ(location.size(), 0u);
  EXPECT_TRUE(changes.empty());
}

TEST_F(RegistrarTest, AnotherExtensionsCredentialsCannotRegisterThisOne) {
  RegisterSpec alice;
  alice.contacts = "<sip:x@192.0.2.5>";
  // Bob's valid credentials in a REGISTER for Alice's address of record (10.3 step 4).
  sip::Message refused = do_register(alice, "bob-pw", phone(), "1002");
  EXPECT_EQ(refused.status(), 403);
  EXPECT_EQ(refused.reason(), "Forbidden");
  EXPECT_EQ(location.size(), 0u);
  EXPECT_EQ(throttle.tracked(), 0u);  // a right password is no guessing
}

TEST_F(RegistrarTest, ADisabledExtensionGetsThePlain403) {
  storage::Extension alice = *directory.extension(1, "1001");
  alice.enabled = false;
  directory.upsert_extension(alice);
  sip::Message refused = do_register("<sip:1001@192.0.2.5>");
  EXPECT_EQ(refused.status(), 403);
  EXPECT_EQ(refused.reason(), "Forbidden");
}

TEST_F(RegistrarTest, RepeatedFailuresBanTheAddressButNotOthers) {
  RegisterSpec unknown;
  unknown.user = "1999";
  unknown.contacts = "<sip:x@192.0.2.5>";
  EXPECT_EQ(do_register(unknown, "nope").status(), 403);  // unknown users count too
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(do_register("<sip:1001@192.0.2.5>", {}, "nope").status(), 403);
  // Banned: even the right password is refused, without a challenge.
  sip::Message banned = do_register("<sip:1001@192.0.2.5>");
  EXPECT_EQ(banned.status(), 403);
  EXPECT_EQ(banned.reason(), "Too Many Failed Attempts");
  EXPECT_EQ(last_challenge.status(), 403);
  RegisterSpec elsewhere;
  elsewhere.contacts = "<sip:1001@198.51.100.7>";
  EXPECT_EQ(do_register(elsewhere, "alice-pw", phone_at("198.51.100.7")).status(), 200);
  timers.advance(299s);
  EXPECT_EQ(do_register("<sip:1001@192.0.2.5>").status(), 403);
  timers.advance(1s);
  EXPECT_EQ(do_register("<sip:1001@192.0.2.5>").status(), 200);
}

TEST_F(RegistrarTest, TheOkListsEveryBindingWithItsParameters) {
  ASSERT_EQ(do_register("<sip:a@192.0.2.5>;q=0.5, <sip:b@192.0.2.5>;q=1.0;expires=600").status(),
            200);
  wall += 10;
  sip::Message ok = do_register(
      "<sip:c@192.0.2.5>;q=0.5;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"");
  ASSERT_EQ(ok.status(), 200);
  // Highest q first, then the most recently registered.
  EXPECT_EQ(contact_values(ok),
            (std::vector<std::string>{
                "<sip:b@192.0.2.5>;expires=590",
                "<sip:c@192.0.2.5>;expires=3600;q=0.5;+sip.instance=\"<urn:uuid:00000000-0000-"
                "1000-8000-000A95A0E128>\"",
                "<sip:a@192.0.2.5>;expires=3590;q=0.5"}));
  // A REGISTER without Contact only asks (10.3 step 6 skips to step 8).
  const std::size_t before = changes.size();
  sip::Message query = do_register("");
  ASSERT_EQ(query.status(), 200);
  EXPECT_EQ(contact_values(query).size(), 3u);
  EXPECT_EQ(changes.size(), before);
}

TEST(SipDate, IsRfc1123InGmt) {
  EXPECT_EQ(sip_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(sip_date(1289690940), "Sat, 13 Nov 2010 23:29:00 GMT");  // RFC 3261 20.17
}

TEST(DirectoryAccountLookup, GivesTheHa1OfEnabledExtensionsInTheRealmsTenant) {
  directory::Directory directory;
  directory.replace({{1, "pbx", "pbx.test", {"pbx.test"}, true}},
                    {make_extension(10, 1, "1001", "pbx.test", "pw")});
  const sip::AccountLookup lookup = directory_account_lookup(directory);
  auto secret = lookup("1001", "pbx.test");
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ(secret->ha1_md5, sip::compute_ha1(sip::DigestAlgorithm::Md5, "1001", "pbx.test", "pw"));
  EXPECT_FALSE(secret->password.has_value());
  EXPECT_FALSE(lookup("1001", "other.realm").has_value());
  EXPECT_FALSE(lookup("1002", "pbx.test").has_value());
  storage::Extension disabled = *directory.extension(1, "1001");
  disabled.enabled = false;
  directory.upsert_extension(disabled);
  EXPECT_FALSE(lookup("1001", "pbx.test").has_value());
}

}  // namespace
}  // namespace kolokol::registrar::testing
