// The registrar's RFC 3261 10.3 steps 6 and 7: contacts, expiry rules, unregistering, ordering,
// the contact limit, Path, malformed values.
#include <gtest/gtest.h>

#include "registrar_fixture.h"

namespace kolokol::registrar::testing {
namespace {

TEST_F(RegistrarTest, ExpiryComesFromTheParameterThenTheHeaderThenTheDefault) {
  config.default_expires = 1800s;
  EXPECT_EQ(
      contact_values(
          do_register("<sip:a@192.0.2.5>;expires=120, <sip:b@192.0.2.5>", "Expires: 600\r\n")),
      (std::vector<std::string>{"<sip:b@192.0.2.5>;expires=600", "<sip:a@192.0.2.5>;expires=120"}));
  EXPECT_EQ(contact_values(do_register("<sip:c@192.0.2.5>"))[0], "<sip:c@192.0.2.5>;expires=1800");
}

TEST_F(RegistrarTest, TooBriefGets423AndTooLongIsShortened) {
  sip::Message brief = do_register("<sip:1001@192.0.2.5>", "Expires: 10\r\n");
  ASSERT_EQ(brief.status(), 423);
  ASSERT_NE(brief.find(sip::HeaderId::MinExpires), nullptr);
  EXPECT_EQ(brief.find(sip::HeaderId::MinExpires)->value, "60");
  EXPECT_EQ(location.size(), 0u);
  sip::Message ok = do_register("<sip:1001@192.0.2.5>;expires=999999", "Expires: 10\r\n");
  ASSERT_EQ(ok.status(), 200);
  EXPECT_EQ(contact_values(ok)[0], "<sip:1001@192.0.2.5>;expires=3600");
  // Beyond 2^32-1 (RFC 3261 20.19) is still just "long".
  ok = do_register("<sip:1001@192.0.2.5>", "Expires: 99999999999999999999\r\n");
  ASSERT_EQ(ok.status(), 200);
  EXPECT_EQ(contact_values(ok)[0], "<sip:1001@192.0.2.5>;expires=3600");
}

TEST_F(RegistrarTest, Only423ForRequestsShorterThanAnHour) {
  // 10.3 step 7: 423 "if and only if" the request is above zero, below an hour and below the
  // minimum; a minimum above an hour lets longer requests through as asked.
  config.min_expires = 7200s;
  config.max_expires = 10000s;
  EXPECT_EQ(do_register("<sip:a@192.0.2.5>;expires=3000").status(), 423);
  sip::Message ok = do_register("<sip:a@192.0.2.5>;expires=5000");
  ASSERT_EQ(ok.status(), 200);
  EXPECT_EQ(contact_values(ok)[0], "<sip:a@192.0.2.5>;expires=5000");
}

TEST_F(RegistrarTest, RefreshKeepsOneBindingWithTheNewExpiry) {
  ASSERT_EQ(do_register("<sip:1001@192.0.2.5:5062>").status(), 200);
  const std::uint64_t id = location.contacts(10, wall)[0]->id;
  wall += 1000;
  sip::Message ok = do_register("<sip:1001@192.0.2.5:5062>;expires=900");
  ASSERT_EQ(ok.status(), 200);
  EXPECT_EQ(contact_values(ok),
            (std::vector<std::string>{"<sip:1001@192.0.2.5:5062>;expires=900"}));
  ASSERT_EQ(location.size(), 1u);
  EXPECT_EQ(location.contacts(10, wall)[0]->id, id);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].kind, BindingChange::Kind::Upsert);
  EXPECT_EQ(changes[1].binding.expires_at, wall + 900);
}

TEST_F(RegistrarTest, UnregisterOneContactThenAll) {
  ASSERT_EQ(do_register("<sip:1001@Phone.Test:1>, <sip:1001@192.0.2.5:2>").status(), 200);
  EXPECT_EQ(location.size(), 2u);
  // An equivalent URI (hosts compare case-insensitively) removes the binding; the change names
  // the contact as stored, which is what the database knows.
  sip::Message ok = do_register("<sip:1001@phone.test:1>;expires=0");
  ASSERT_EQ(ok.status(), 200);
  EXPECT_EQ(contact_values(ok), (std::vector<std::string>{"<sip:1001@192.0.2.5:2>;expires=3600"}));
  ASSERT_EQ(changes.back().kind, BindingChange::Kind::Remove);
  EXPECT_EQ(changes.back().binding.contact, "sip:1001@Phone.Test:1");
  EXPECT_EQ(changes.back().binding.extension_id, 10);
  // Expires: 0 applies to contacts without their own expires.
  ASSERT_EQ(do_register("<sip:1001@192.0.2.5:2>", "Expires: 0\r\n").status(), 200);
  EXPECT_EQ(location.size(), 0u);
  const std::size_t before = changes.size();
  ASSERT_EQ(do_register("<sip:1001@192.0.2.5:3>;expires=0").status(), 200);  // nothing to remove
  EXPECT_EQ(changes.size(), before);
}

TEST_F(RegistrarTest, WildcardRemovesEverythingOnlyWithExpiresZero) {
  ASSERT_EQ(do_register("<sip:a@192.0.2.5>, <sip:b@192.0.2.5>").status(), 200);
  EXPECT_EQ(do_register("*").status(), 400);                     // no Expires
  EXPECT_EQ(do_register("*", "Expires: 60\r\n").status(), 400);  // not zero
  EXPECT_EQ(do_register("*;expires=0").status(), 400);           // the header is what counts
  EXPECT_EQ(do_register("*, <sip:a@192.0.2.5>", "Expires: 0\r\n").status(), 400);
  EXPECT_EQ(location.size(), 2u);
  sip::Message ok = do_register("*", "Expires: 0\r\n");
  ASSERT_EQ(ok.status(), 200);
  EXPECT_TRUE(contact_values(ok).empty());
  EXPECT_EQ(location.size(), 0u);
  ASSERT_EQ(changes.back().kind, BindingChange::Kind::RemoveAll);
  EXPECT_EQ(changes.back().binding.extension_id, 10);
  const std::size_t before = changes.size();
  EXPECT_EQ(do_register("*", "Expires: 0\r\n").status(), 200);  // nothing left: no change
  EXPECT_EQ(changes.size(), before);
}

TEST_F(RegistrarTest, SameCallIdWithAnOldCSeqFailsButAnotherCallIdDoesNot) {
  cseq = 100;
  ASSERT_EQ(do_register("<sip:1001@192.0.2.5>").status(), 200);
  cseq -= 4;  // the next REGISTER of this Call-ID carries a lower CSeq than the binding's
  sip::Message old = do_register("<sip:1001@192.0.2.5>;expires=0");
  EXPECT_EQ(old.status(), 500);
  EXPECT_EQ(location.size(), 1u);
  cseq -= 4;
  EXPECT_EQ(do_register("*", "Expires: 0\r\n").status(), 500);  // 10.3 step 6, same rule
  EXPECT_EQ(location.size(), 1u);
  call_id = "restarted@192.0.2.5";  // a new Call-ID may start anywhere
  cseq = 0;
  EXPECT_EQ(do_register("<sip:1001@192.0.2.5>;expires=0").status(), 200);
  EXPECT_EQ(location.size(), 0u);
}

TEST_F(RegistrarTest, ARequestChangesAllItsContactsOrNone) {
  ASSERT_EQ(do_register("<sip:old@192.0.2.5>").status(), 200);
  const std::size_t before = changes.size();
  EXPECT_EQ(do_register("<sip:new@192.0.2.5>, <sip:old@192.0.2.5>;expires=10").status(), 423);
  EXPECT_EQ(do_register("<sip:new@192.0.2.5>, <sip:old@192.0.2.5>;q=2").status(), 400);
  EXPECT_EQ(location.size(), 1u);
  EXPECT_EQ(changes.size(), before);
}

TEST_F(RegistrarTest, OneContactTooManyReplacesTheOneClosestToExpiring) {
  ASSERT_EQ(do_register("<sip:a@192.0.2.5>;expires=100").status(), 200);
  ASSERT_EQ(do_register("<sip:b@192.0.2.5>;expires=300").status(), 200);
  ASSERT_EQ(do_register("<sip:c@192.0.2.5>;expires=200").status(), 200);
  ASSERT_EQ(do_register("<sip:d@192.0.2.5>;expires=400").status(), 200);
  std::vector<std::string> bound;
  for (const Binding* binding : location.contacts(10, wall))
    bound.push_back(binding->record.contact);
  EXPECT_EQ(bound,
            (std::vector<std::string>{"sip:d@192.0.2.5", "sip:c@192.0.2.5", "sip:b@192.0.2.5"}));
  ASSERT_GE(changes.size(), 2u);
  EXPECT_EQ(changes[changes.size() - 2].kind, BindingChange::Kind::Remove);
  EXPECT_EQ(changes[changes.size() - 2].binding.contact, "sip:a@192.0.2.5");
  // A binding refreshed by the same request is never the one replaced, even if now closest.
  ASSERT_EQ(do_register("<sip:b@192.0.2.5>;expires=60, <sip:e@192.0.2.5>").status(), 200);
  bound.clear();
  for (const Binding* binding : location.contacts(10, wall))
    bound.push_back(binding->record.contact);
  EXPECT_EQ(bound,
            (std::vector<std::string>{"sip:e@192.0.2.5", "sip:b@192.0.2.5", "sip:d@192.0.2.5"}));
}

TEST_F(RegistrarTest, MoreContactsInOneRequestThanAllowedIs403) {
  sip::Message refused =
      do_register("<sip:a@192.0.2.5>, <sip:b@192.0.2.5>, <sip:c@192.0.2.5>, <sip:d@192.0.2.5>");
  EXPECT_EQ(refused.status(), 403);
  EXPECT_EQ(refused.reason(), "Too Many Contacts");
  EXPECT_EQ(location.size(), 0u);
  EXPECT_EQ(throttle.tracked(), 0u);
}

TEST_F(RegistrarTest, PathIsKeptAndEchoedWhenSupported) {
  sip::Message ok = do_register(
      "<sip:1001@192.0.2.5>",
      "Path: <sip:edge1.pbx.test;lr>, <sip:edge2.pbx.test;lr>\r\nSupported: timer, Path\r\n");
  ASSERT_EQ(ok.status(), 200);
  std::vector<std::string> echoed;
  for (auto value : ok.values(sip::HeaderId::Path)) echoed.emplace_back(value);
  const std::vector<std::string> path{"<sip:edge1.pbx.test;lr>", "<sip:edge2.pbx.test;lr>"};
  EXPECT_EQ(echoed, path);
  auto bound = location.contacts(10, wall);
  ASSERT_EQ(bound.size(), 1u);
  EXPECT_EQ(bound[0]->record.path, path);
  EXPECT_EQ(changes.back().binding.path, path);
}

TEST_F(RegistrarTest, PathIsKeptButNotEchoedWithoutSupportedPath) {
  sip::Message ok = do_register("<sip:1001@192.0.2.5>", "Path: <sip:edge.pbx.test;lr>\r\n");
  ASSERT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.find(sip::HeaderId::Path), nullptr);
  EXPECT_EQ(location.contacts(10, wall)[0]->record.path,
            (std::vector<std::string>{"<sip:edge.pbx.test;lr>"}));
}

TEST_F(RegistrarTest, MalformedValuesAre400AndChangeNothing) {
  EXPECT_EQ(do_register("<sip:a@192.0.2.5>", "Expires: soon\r\n").status(), 400);
  EXPECT_EQ(do_register("<sip:a@192.0.2.5>;expires=-5").status(), 400);
  EXPECT_EQ(do_register("<sip:a@192.0.2.5>;expires").status(), 400);
  EXPECT_EQ(do_register("<sip:a@192.0.2.5>;q=1.5").status(), 400);
  EXPECT_EQ(do_register("<sip:a@192.0.2.5>;q=0.1234").status(), 400);
  EXPECT_EQ(do_register("<mailto:a@example.com>").status(), 400);
  EXPECT_EQ(do_register("<sip:a@192.0.2.5>", "Path: <<garbage\r\n").status(), 400);
  EXPECT_EQ(location.size(), 0u);
  EXPECT_TRUE(changes.empty());
  EXPECT_EQ(throttle.tracked(), 0u);
  EXPECT_EQ(contact_values(do_register("<sip:a@192.0.2.5>;q=0.25"))[0],
            "<sip:a@192.0.2.5>;expires=3600;q=0.25");
}

TEST_F(RegistrarTest, ExpiredBindingsAreNotCalledAndExpireAway) {
  cseq = 100;
  ASSERT_EQ(do_register("<sip:1001@192.0.2.5>;expires=60").status(), 200);
  EXPECT_EQ(location.reachable_contacts(10, wall + 59).size(), 1u);
  EXPECT_EQ(location.reachable_contacts(10, wall + 60).size(), 0u);
  // An expired binding with the same Call-ID is no obstacle to registering again.
  wall += 120;
  cseq -= 10;
  EXPECT_EQ(do_register("<sip:1001@192.0.2.5>;expires=60").status(), 200);
  EXPECT_EQ(location.expire(wall + 61).size(), 1u);
  EXPECT_EQ(location.size(), 0u);
}

}  // namespace
}  // namespace kolokol::registrar::testing
