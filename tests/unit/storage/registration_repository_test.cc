#include <gtest/gtest.h>

#include "temp_database.h"

namespace kolokol::storage::testing {
namespace {

using Kind = StorageError::Kind;

class RegistrationRepositoryTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    tenant_ = make_tenant("acme");
    alice_ = make_extension(tenant_.id, "1001");
    bob_ = make_extension(tenant_.id, "1002");
  }

  ContactBinding binding(RowId extension_id, const std::string& contact,
                         UnixSeconds expires_at = 1000) {
    ContactBinding out;
    out.extension_id = extension_id;
    out.contact = contact;
    out.call_id = "c1@host";
    out.cseq = 1;
    out.expires_at = expires_at;
    return out;
  }

  std::vector<ContactBinding> all() {
    auto loaded = db().registrations().load_all();
    EXPECT_TRUE(loaded.has_value()) << loaded.error().message;
    return loaded.has_value() ? *loaded : std::vector<ContactBinding>{};
  }

  Tenant tenant_;
  Extension alice_;
  Extension bob_;
};

TEST_F(RegistrationRepositoryTest, UpsertStoresEveryField) {
  ContactBinding full;
  full.extension_id = alice_.id;
  full.contact = "<sip:alice@192.0.2.10:5062;transport=tcp>;expires=3600";
  full.instance_id = "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";
  full.call_id = "a84b4c76e66710@pc33";
  full.cseq = 4294967295u;  // the largest CSeq survives the signed column
  full.expires_at = 1'900'000'000;
  full.q = 0.7F;
  full.path = {"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"};
  full.received = "tcp:192.0.2.10:40000";
  full.local = "tcp:127.0.0.1:5060";
  full.user_agent = "Linphone/5.2";
  ASSERT_TRUE(db().registrations().upsert(full).has_value());

  auto loaded = all();
  ASSERT_EQ(loaded.size(), 1u);
  const ContactBinding& stored = loaded[0];
  EXPECT_EQ(stored.extension_id, full.extension_id);
  EXPECT_EQ(stored.contact, full.contact);
  EXPECT_EQ(stored.instance_id, full.instance_id);
  EXPECT_EQ(stored.call_id, full.call_id);
  EXPECT_EQ(stored.cseq, full.cseq);
  EXPECT_EQ(stored.expires_at, full.expires_at);
  EXPECT_EQ(stored.q, full.q);
  EXPECT_EQ(stored.path, full.path);
  EXPECT_EQ(stored.received, full.received);
  EXPECT_EQ(stored.local, full.local);
  EXPECT_EQ(stored.user_agent, full.user_agent);
}

TEST_F(RegistrationRepositoryTest, UpsertReplacesTheSameContact) {
  ContactBinding first = binding(alice_.id, "sip:alice@192.0.2.10");
  first.path = {"<sip:old.example;lr>"};
  ASSERT_TRUE(db().registrations().upsert(first).has_value());
  ContactBinding refreshed = first;
  refreshed.cseq = 2;
  refreshed.call_id = "c2@host";
  refreshed.expires_at = 5000;
  refreshed.path = {};
  refreshed.user_agent = "after";
  ASSERT_TRUE(db().registrations().upsert(refreshed).has_value());
  ASSERT_TRUE(db().registrations().upsert(binding(alice_.id, "sip:alice@192.0.2.11")).has_value());

  auto loaded = all();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].contact, "sip:alice@192.0.2.10");
  EXPECT_EQ(loaded[0].cseq, 2u);
  EXPECT_EQ(loaded[0].call_id, "c2@host");
  EXPECT_EQ(loaded[0].expires_at, 5000);
  EXPECT_TRUE(loaded[0].path.empty());
  EXPECT_EQ(loaded[0].user_agent, "after");
  EXPECT_EQ(loaded[1].contact, "sip:alice@192.0.2.11");
}

TEST_F(RegistrationRepositoryTest, PathRoundTrips) {
  const std::vector<std::vector<std::string>> paths = {
      {},
      {"<sip:one.example;lr>"},
      {"<sip:a;lr>", "<sip:b;lr;ob>", "\"quoted, name\" <sip:c;lr>"},
  };
  for (std::size_t i = 0; i < paths.size(); ++i) {
    ContactBinding entry = binding(alice_.id, "sip:alice@host" + std::to_string(i));
    entry.path = paths[i];
    ASSERT_TRUE(db().registrations().upsert(entry).has_value());
  }
  auto loaded = all();
  ASSERT_EQ(loaded.size(), paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) EXPECT_EQ(loaded[i].path, paths[i]) << i;
}

TEST_F(RegistrationRepositoryTest, PathThatCannotRoundTripIsInvalid) {
  ContactBinding broken = binding(alice_.id, "sip:alice@host");
  broken.path = {"<sip:a;lr>\n<sip:b;lr>"};
  auto saved = db().registrations().upsert(broken);
  ASSERT_FALSE(saved.has_value());
  EXPECT_EQ(saved.error().kind, Kind::Invalid);
  broken.path = {"<sip:a;lr>", ""};
  saved = db().registrations().upsert(broken);
  ASSERT_FALSE(saved.has_value());
  EXPECT_EQ(saved.error().kind, Kind::Invalid);
  EXPECT_TRUE(all().empty());
}

TEST_F(RegistrationRepositoryTest, UnknownExtensionOrEmptyContactIsInvalid) {
  auto saved = db().registrations().upsert(binding(4242, "sip:x@host"));
  ASSERT_FALSE(saved.has_value());
  EXPECT_EQ(saved.error().kind, Kind::Invalid) << saved.error().message;
  saved = db().registrations().upsert(binding(alice_.id, ""));
  ASSERT_FALSE(saved.has_value());
  EXPECT_EQ(saved.error().kind, Kind::Invalid);
}

TEST_F(RegistrationRepositoryTest, RemoveOneThenMissingIsNotFound) {
  ASSERT_TRUE(db().registrations().upsert(binding(alice_.id, "sip:a@1")).has_value());
  ASSERT_TRUE(db().registrations().upsert(binding(alice_.id, "sip:a@2")).has_value());
  ASSERT_TRUE(db().registrations().upsert(binding(bob_.id, "sip:a@1")).has_value());

  ASSERT_TRUE(db().registrations().remove(alice_.id, "sip:a@1").has_value());
  auto loaded = all();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].contact, "sip:a@2");
  EXPECT_EQ(loaded[1].extension_id, bob_.id);

  auto again = db().registrations().remove(alice_.id, "sip:a@1");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().kind, Kind::NotFound);
}

TEST_F(RegistrationRepositoryTest, RemoveAllTouchesOnlyThatExtension) {
  ASSERT_TRUE(db().registrations().upsert(binding(alice_.id, "sip:a@1")).has_value());
  ASSERT_TRUE(db().registrations().upsert(binding(alice_.id, "sip:a@2")).has_value());
  ASSERT_TRUE(db().registrations().upsert(binding(bob_.id, "sip:b@1")).has_value());
  ASSERT_TRUE(db().registrations().remove_all(alice_.id).has_value());
  auto loaded = all();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].extension_id, bob_.id);
  // Nothing left to remove is not an error.
  EXPECT_TRUE(db().registrations().remove_all(alice_.id).has_value());
}

TEST_F(RegistrationRepositoryTest, RemoveExpiredCountsWhatWentUpToNow) {
  ASSERT_TRUE(db().registrations().upsert(binding(alice_.id, "sip:a@1", 100)).has_value());
  ASSERT_TRUE(db().registrations().upsert(binding(alice_.id, "sip:a@2", 200)).has_value());
  ASSERT_TRUE(db().registrations().upsert(binding(bob_.id, "sip:b@1", 201)).has_value());

  auto removed = db().registrations().remove_expired(99);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(*removed, 0u);
  removed = db().registrations().remove_expired(200);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(*removed, 2u);
  auto loaded = all();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].contact, "sip:b@1");
}

}  // namespace
}  // namespace kolokol::storage::testing
