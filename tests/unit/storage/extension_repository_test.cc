#include <gtest/gtest.h>

#include "temp_database.h"

namespace kolokol::storage::testing {
namespace {

using Kind = StorageError::Kind;
using ExtensionRepositoryTest = DatabaseTest;

ContactBinding binding_of(RowId extension_id, const std::string& contact) {
  ContactBinding binding;
  binding.extension_id = extension_id;
  binding.contact = contact;
  binding.call_id = "call-" + contact;
  binding.cseq = 1;
  binding.expires_at = 1000;
  return binding;
}

TEST_F(ExtensionRepositoryTest, CreateListUpdateRemove) {
  const Tenant acme = make_tenant("acme");
  Extension extension;
  extension.tenant_id = acme.id;
  extension.number = "1001";
  extension.display_name = "Анна";
  extension.ha1_md5 = "0123456789abcdef0123456789abcdef";
  extension.ha1_sha256 = std::string(64, 'f');
  extension.enabled = false;
  auto created = db().extensions().create(extension);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_GT(created->id, 0);

  auto listed = db().extensions().list(acme.id);
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 1u);
  const Extension& stored = (*listed)[0];
  EXPECT_EQ(stored.id, created->id);
  EXPECT_EQ(stored.tenant_id, acme.id);
  EXPECT_EQ(stored.number, "1001");
  EXPECT_EQ(stored.display_name, "Анна");
  EXPECT_EQ(stored.ha1_md5, extension.ha1_md5);
  EXPECT_EQ(stored.ha1_sha256, extension.ha1_sha256);
  EXPECT_FALSE(stored.enabled);

  Extension changed = *created;
  changed.number = "1009";
  changed.display_name = "";
  changed.ha1_md5 = "new-md5";
  changed.ha1_sha256 = "new-sha";
  changed.enabled = true;
  auto updated = db().extensions().update(changed);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  listed = db().extensions().list(acme.id);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].number, "1009");
  EXPECT_EQ((*listed)[0].display_name, "");
  EXPECT_EQ((*listed)[0].ha1_md5, "new-md5");
  EXPECT_EQ((*listed)[0].ha1_sha256, "new-sha");
  EXPECT_TRUE((*listed)[0].enabled);

  ASSERT_TRUE(db().extensions().remove(created->id).has_value());
  EXPECT_TRUE(db().extensions().list(acme.id)->empty());
}

TEST_F(ExtensionRepositoryTest, ListsInDiallingOrderPerTenant) {
  const Tenant acme = make_tenant("acme");
  const Tenant beta = make_tenant("beta");
  make_extension(acme.id, "1001");
  make_extension(beta.id, "200");
  make_extension(acme.id, "99");
  make_extension(acme.id, "100");

  auto listed = db().extensions().list(acme.id);
  ASSERT_TRUE(listed.has_value());
  std::vector<std::string> numbers;
  for (const auto& extension : *listed) numbers.push_back(extension.number);
  EXPECT_EQ(numbers, (std::vector<std::string>{"99", "100", "1001"}));

  auto all = db().extensions().list_all();
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[3].number, "200");
  EXPECT_EQ((*all)[3].tenant_id, beta.id);
  EXPECT_TRUE(db().extensions().list(12345)->empty());
}

TEST_F(ExtensionRepositoryTest, DuplicateNumberInATenantIsConflict) {
  const Tenant acme = make_tenant("acme");
  const Tenant beta = make_tenant("beta");
  make_extension(acme.id, "1001");
  Extension again;
  again.tenant_id = acme.id;
  again.number = "1001";
  auto created = db().extensions().create(again);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().kind, Kind::Conflict);
  EXPECT_NE(created.error().message.find("1001"), std::string::npos);
  // Another tenant has its own numbering.
  again.tenant_id = beta.id;
  EXPECT_TRUE(db().extensions().create(again).has_value());
}

TEST_F(ExtensionRepositoryTest, UpdateToATakenNumberIsConflict) {
  const Tenant acme = make_tenant("acme");
  make_extension(acme.id, "1001");
  Extension second = make_extension(acme.id, "1002");
  second.number = "1001";
  auto updated = db().extensions().update(second);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().kind, Kind::Conflict);
}

TEST_F(ExtensionRepositoryTest, UnknownTenantOrEmptyNumberIsInvalid) {
  Extension orphan;
  orphan.tenant_id = 77;
  orphan.number = "1001";
  auto created = db().extensions().create(orphan);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().kind, Kind::Invalid) << created.error().message;

  const Tenant acme = make_tenant("acme");
  Extension nameless;
  nameless.tenant_id = acme.id;
  created = db().extensions().create(nameless);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().kind, Kind::Invalid);
}

TEST_F(ExtensionRepositoryTest, UpdateOrRemoveOfUnknownExtensionIsNotFound) {
  const Tenant acme = make_tenant("acme");
  const Tenant beta = make_tenant("beta");
  Extension ghost;
  ghost.id = 999;
  ghost.tenant_id = acme.id;
  ghost.number = "1001";
  auto updated = db().extensions().update(ghost);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().kind, Kind::NotFound);

  auto removed = db().extensions().remove(999);
  ASSERT_FALSE(removed.has_value());
  EXPECT_EQ(removed.error().kind, Kind::NotFound);

  // The tenant is part of an extension's identity: it cannot move.
  Extension moved = make_extension(acme.id, "1001");
  moved.tenant_id = beta.id;
  updated = db().extensions().update(moved);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().kind, Kind::NotFound);
  EXPECT_EQ((*db().extensions().list(acme.id)).size(), 1u);
}

TEST_F(ExtensionRepositoryTest, RemoveTakesItsBindingsAlong) {
  const Tenant acme = make_tenant("acme");
  const Extension kept = make_extension(acme.id, "1001");
  const Extension removed = make_extension(acme.id, "1002");
  ASSERT_TRUE(db().registrations().upsert(binding_of(kept.id, "sip:a@1.1.1.1")).has_value());
  ASSERT_TRUE(db().registrations().upsert(binding_of(removed.id, "sip:b@1.1.1.1")).has_value());
  ASSERT_TRUE(db().registrations().upsert(binding_of(removed.id, "sip:c@1.1.1.1")).has_value());

  ASSERT_TRUE(db().extensions().remove(removed.id).has_value());
  auto bindings = db().registrations().load_all();
  ASSERT_TRUE(bindings.has_value());
  ASSERT_EQ(bindings->size(), 1u);
  EXPECT_EQ((*bindings)[0].extension_id, kept.id);
}

}  // namespace
}  // namespace kolokol::storage::testing
