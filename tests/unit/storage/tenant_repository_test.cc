#include <gtest/gtest.h>

#include "temp_database.h"

namespace kolokol::storage::testing {
namespace {

using Kind = StorageError::Kind;
using TenantRepositoryTest = DatabaseTest;

TEST_F(TenantRepositoryTest, CreateAssignsIdsAndListKeepsDomainOrder) {
  Tenant acme;
  acme.name = "acme";
  acme.realm = "acme.example";
  acme.domains = {"sip.acme.example", "acme.example", "10.0.0.1"};
  acme.is_default = true;
  auto created = db().tenants().create(acme);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_GT(created->id, 0);
  const Tenant beta = make_tenant("beta", {"beta.example"});
  EXPECT_NE(beta.id, created->id);

  auto listed = db().tenants().list();
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  const Tenant& first = (*listed)[0];
  EXPECT_EQ(first.id, created->id);
  EXPECT_EQ(first.name, "acme");
  EXPECT_EQ(first.realm, "acme.example");
  EXPECT_EQ(first.domains, acme.domains);
  EXPECT_TRUE(first.is_default);
  EXPECT_EQ((*listed)[1].name, "beta");
  EXPECT_EQ((*listed)[1].domains, std::vector<std::string>{"beta.example"});
  EXPECT_FALSE((*listed)[1].is_default);
}

TEST_F(TenantRepositoryTest, EmptyDatabaseListsNothing) {
  auto listed = db().tenants().list();
  ASSERT_TRUE(listed.has_value());
  EXPECT_TRUE(listed->empty());
}

TEST_F(TenantRepositoryTest, DuplicateNameIsConflict) {
  make_tenant("acme");
  Tenant again;
  again.name = "acme";
  again.realm = "other";
  auto created = db().tenants().create(again);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().kind, Kind::Conflict);
  EXPECT_NE(created.error().message.find("acme"), std::string::npos) << created.error().message;
}

TEST_F(TenantRepositoryTest, DomainOfAnotherTenantIsConflictAndCreatesNothing) {
  make_tenant("acme", {"shared.example"});
  Tenant beta;
  beta.name = "beta";
  beta.realm = "beta";
  beta.domains = {"beta.example", "shared.example"};
  auto created = db().tenants().create(beta);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().kind, Kind::Conflict);
  EXPECT_NE(created.error().message.find("shared.example"), std::string::npos);
  // The tenant row written before the domain failed is gone with it.
  auto listed = db().tenants().list();
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "acme");
}

TEST_F(TenantRepositoryTest, SecondDefaultTenantIsConflict) {
  Tenant first;
  first.name = "first";
  first.realm = "first";
  first.is_default = true;
  ASSERT_TRUE(db().tenants().create(first).has_value());
  Tenant second = first;
  second.name = "second";
  auto created = db().tenants().create(second);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().kind, Kind::Conflict);
}

TEST_F(TenantRepositoryTest, BadInputIsInvalid) {
  auto attempt = [this](Tenant tenant) {
    auto created = db().tenants().create(std::move(tenant));
    EXPECT_FALSE(created.has_value());
    return created.has_value() ? Kind::Backend : created.error().kind;
  };
  EXPECT_EQ(attempt(Tenant{0, "", "realm", {}, false}), Kind::Invalid);
  EXPECT_EQ(attempt(Tenant{0, "acme", "", {}, false}), Kind::Invalid);
  EXPECT_EQ(attempt(Tenant{0, "acme", "r", {"Acme.example"}, false}), Kind::Invalid);
  EXPECT_EQ(attempt(Tenant{0, "acme", "r", {"a.example", "a.example"}, false}), Kind::Invalid);
  EXPECT_EQ(attempt(Tenant{0, "acme", "r", {""}, false}), Kind::Invalid);
  EXPECT_TRUE(db().tenants().list()->empty());
}

TEST_F(TenantRepositoryTest, UpdateRenamesAndReplacesDomains) {
  Tenant acme = make_tenant("acme", {"a.example", "b.example"});
  make_tenant("beta", {"beta.example"});
  acme.name = "acme-corp";
  acme.domains = {"c.example", "a.example"};
  acme.is_default = true;
  auto updated = db().tenants().update(acme);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->id, acme.id);

  auto listed = db().tenants().list();
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "acme-corp");
  EXPECT_EQ((*listed)[0].domains, (std::vector<std::string>{"c.example", "a.example"}));
  EXPECT_TRUE((*listed)[0].is_default);
  EXPECT_EQ((*listed)[1].domains, std::vector<std::string>{"beta.example"});

  // A released domain can go to another tenant.
  Tenant gamma;
  gamma.name = "gamma";
  gamma.realm = "gamma";
  gamma.domains = {"b.example"};
  EXPECT_TRUE(db().tenants().create(gamma).has_value());
}

TEST_F(TenantRepositoryTest, UpdateOfUnknownTenantIsNotFound) {
  Tenant ghost;
  ghost.id = 42;
  ghost.name = "ghost";
  ghost.realm = "ghost";
  auto updated = db().tenants().update(ghost);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().kind, Kind::NotFound);
}

TEST_F(TenantRepositoryTest, UpdateCannotChangeTheRealm) {
  Tenant acme = make_tenant("acme");
  acme.realm = "elsewhere";
  auto updated = db().tenants().update(acme);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().kind, Kind::Invalid);
  EXPECT_EQ((*db().tenants().list())[0].realm, "acme.example");
}

TEST_F(TenantRepositoryTest, UpdateToATakenNameIsConflict) {
  Tenant acme = make_tenant("acme", {"acme.example"});
  make_tenant("beta");
  acme.name = "beta";
  auto updated = db().tenants().update(acme);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().kind, Kind::Conflict);
}

TEST_F(TenantRepositoryTest, UpdateFailingOnADomainChangesNothing) {
  Tenant acme = make_tenant("acme", {"acme.example"});
  make_tenant("beta", {"beta.example"});
  // The rename succeeds before the taken domain fails: both must be undone.
  acme.name = "acme-corp";
  acme.domains = {"new.example", "beta.example"};
  auto updated = db().tenants().update(acme);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().kind, Kind::Conflict);
  auto listed = db().tenants().list();
  ASSERT_TRUE(listed.has_value());
  EXPECT_EQ((*listed)[0].name, "acme");
  EXPECT_EQ((*listed)[0].domains, std::vector<std::string>{"acme.example"});
}

}  // namespace
}  // namespace kolokol::storage::testing
