#include <gtest/gtest.h>

#include <stdexcept>

#include "raw_sqlite.h"
#include "temp_database.h"

namespace kolokol::storage::testing {
namespace {

using Kind = StorageError::Kind;
using TransactionTest = DatabaseTest;

Tenant tenant_named(const std::string& name) {
  Tenant tenant;
  tenant.name = name;
  tenant.realm = name;
  return tenant;
}

TEST_F(TransactionTest, CommitsWhenTheWorkSucceeds) {
  auto done = db().transaction([&] {
    auto acme = db().tenants().create(tenant_named("acme"));
    if (!acme) return false;
    Extension extension;
    extension.tenant_id = acme->id;
    extension.number = "1001";
    return db().extensions().create(extension).has_value();
  });
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(db().tenants().list()->size(), 1u);
  EXPECT_EQ(db().extensions().list_all()->size(), 1u);
}

TEST_F(TransactionTest, RollsBackWhenTheWorkReturnsFalse) {
  auto done = db().transaction([&] {
    auto acme = db().tenants().create(tenant_named("acme"));
    EXPECT_TRUE(acme.has_value());
    Extension extension;
    extension.tenant_id = acme->id;
    extension.number = "1001";
    EXPECT_TRUE(db().extensions().create(extension).has_value());
    // Inside, the work sees its own writes.
    EXPECT_EQ(db().extensions().list_all()->size(), 1u);
    return false;
  });
  ASSERT_FALSE(done.has_value());
  EXPECT_EQ(done.error().kind, Kind::Invalid);
  EXPECT_TRUE(db().tenants().list()->empty());
  EXPECT_TRUE(db().extensions().list_all()->empty());
  // The connection is usable afterwards.
  EXPECT_TRUE(db().tenants().create(tenant_named("after")).has_value());
}

TEST_F(TransactionTest, AFailedCallInsideRollsEverythingBack) {
  make_tenant("taken");
  auto done = db().transaction([&] {
    EXPECT_TRUE(db().tenants().create(tenant_named("fresh")).has_value());
    EXPECT_FALSE(db().tenants().create(tenant_named("taken")).has_value());
    return true;  // ignores the failure: the transaction must not commit anyway
  });
  ASSERT_FALSE(done.has_value());
  EXPECT_EQ(done.error().kind, Kind::Conflict);
  auto listed = db().tenants().list();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "taken");
}

TEST_F(TransactionTest, CallsInsideStayInvisibleToOthersUntilCommit) {
  RawSqlite other(path());
  auto done = db().transaction([&] {
    EXPECT_TRUE(db().tenants().create(tenant_named("acme")).has_value());
    EXPECT_TRUE(
        db().cdr().insert(CallRecord{.call_id = "c1", .caller = "1", .callee = "2"}).has_value());
    // Had a repository call committed on its own, the other connection would see it.
    EXPECT_EQ(other.number("SELECT count(*) FROM tenants"), 0);
    EXPECT_EQ(other.number("SELECT count(*) FROM call_records"), 0);
    return true;
  });
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(other.number("SELECT count(*) FROM tenants"), 1);
  EXPECT_EQ(other.number("SELECT count(*) FROM call_records"), 1);
}

TEST_F(TransactionTest, AnExceptionRollsBackAndPropagates) {
  EXPECT_THROW(db().transaction([&]() -> bool {
    EXPECT_TRUE(db().tenants().create(tenant_named("acme")).has_value());
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_TRUE(db().tenants().list()->empty());
  EXPECT_TRUE(
      db().transaction([&] { return db().tenants().create(tenant_named("next")).has_value(); })
          .has_value());
}

TEST_F(TransactionTest, NestedTransactionRollsBackOnlyItsOwnWork) {
  auto done = db().transaction([&] {
    EXPECT_TRUE(db().tenants().create(tenant_named("outer")).has_value());
    auto inner = db().transaction([&] {
      EXPECT_TRUE(db().tenants().create(tenant_named("inner")).has_value());
      return false;
    });
    EXPECT_FALSE(inner.has_value());
    auto kept =
        db().transaction([&] { return db().tenants().create(tenant_named("kept")).has_value(); });
    EXPECT_TRUE(kept.has_value());
    return true;
  });
  ASSERT_TRUE(done.has_value()) << done.error().message;
  auto listed = db().tenants().list();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "outer");
  EXPECT_EQ((*listed)[1].name, "kept");
}

TEST_F(TransactionTest, AFailureInANestedTransactionStaysThere) {
  make_tenant("taken");
  auto done = db().transaction([&] {
    EXPECT_TRUE(db().tenants().create(tenant_named("outer")).has_value());
    auto inner =
        db().transaction([&] { return db().tenants().create(tenant_named("taken")).has_value(); });
    EXPECT_FALSE(inner.has_value());
    EXPECT_EQ(inner.error().kind, Kind::Conflict);
    return true;
  });
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(db().tenants().list()->size(), 2u);
}

}  // namespace
}  // namespace kolokol::storage::testing
