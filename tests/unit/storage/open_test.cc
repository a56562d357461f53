#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "raw_sqlite.h"
#include "storage/schema.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrator.h"
#include "temp_database.h"

namespace kolokol::storage::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(OpenSqlite, CreatesAnOwnerOnlyFileInWalMode) {
  TempDir dir;
  const std::string path = dir.file("new.db");
  const mode_t old_mask = ::umask(022);
  auto db = open_sqlite(path);
  ::umask(old_mask);
  ASSERT_TRUE(db.has_value()) << db.error();
  EXPECT_EQ((*db)->schema_version(), latest_schema_version());

  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // SQLite gives the journal files the database's mode; the WAL holds the same secrets.
  for (const char* suffix : {"-wal", "-shm"}) {
    ASSERT_EQ(::stat((path + suffix).c_str(), &info), 0) << suffix;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << suffix;
  }
  RawSqlite raw(path);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.number("SELECT count(*) FROM schema_version"),
            static_cast<std::int64_t>(schema_migrations().size()));
}

TEST(OpenSqlite, ReopenKeepsDataAndDoesNotMigrateAgain) {
  TempDir dir;
  const std::string path = dir.file("kolokol.db");
  {
    auto db = open_sqlite(path);
    ASSERT_TRUE(db.has_value()) << db.error();
    Tenant acme;
    acme.name = "acme";
    acme.realm = "acme";
    acme.domains = {"acme.example"};
    ASSERT_TRUE((*db)->tenants().create(acme).has_value());
  }
  {
    // Were the first migration run again, it would put this index back (or fail outright).
    RawSqlite raw(path);
    raw.exec("DROP INDEX call_records_start");
  }
  auto db = open_sqlite(path);
  ASSERT_TRUE(db.has_value()) << db.error();
  EXPECT_EQ((*db)->schema_version(), latest_schema_version());
  auto tenants = (*db)->tenants().list();
  ASSERT_TRUE(tenants.has_value());
  ASSERT_EQ(tenants->size(), 1u);
  EXPECT_EQ((*tenants)[0].domains, std::vector<std::string>{"acme.example"});

  RawSqlite raw(path);
  EXPECT_EQ(raw.number("SELECT count(*) FROM sqlite_master WHERE name = 'call_records_start'"), 0);
  EXPECT_EQ(raw.number("SELECT count(*) FROM schema_version"),
            static_cast<std::int64_t>(schema_migrations().size()));
}

TEST(OpenSqlite, RefusesANewerSchema) {
  TempDir dir;
  const std::string path = dir.file("kolokol.db");
  ASSERT_TRUE(open_sqlite(path).has_value());
  {
    RawSqlite raw(path);
    raw.exec("INSERT INTO schema_version (version, applied_at) VALUES (" +
             std::to_string(latest_schema_version() + 1) + ", 0)");
  }
  auto db = open_sqlite(path);
  ASSERT_FALSE(db.has_value());
  EXPECT_TRUE(contains(db.error(), "schema version " + std::to_string(latest_schema_version() + 1)))
      << db.error();
  EXPECT_TRUE(contains(db.error(), "newer")) << db.error();
}

TEST(OpenSqlite, GarbageFileIsAClearError) {
  TempDir dir;
  const std::string path = dir.file("garbage.db");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 512; ++i) out << "this is not a database, just some text. ";
  }
  auto db = open_sqlite(path);
  ASSERT_FALSE(db.has_value());
  EXPECT_TRUE(contains(db.error(), "not a SQLite database")) << db.error();
}

TEST(OpenSqlite, SomeoneElsesDatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  ASSERT_TRUE(sqlite::Connection::open(path).has_value());
  {
    RawSqlite raw(path);
    raw.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
  }
  auto db = open_sqlite(path);
  ASSERT_FALSE(db.has_value());
  EXPECT_TRUE(contains(db.error(), "not a Kolokol database")) << db.error();
  RawSqlite raw(path);
  EXPECT_EQ(raw.number("SELECT count(*) FROM sqlite_master WHERE name = 'tenants'"), 0);
}

TEST(OpenSqlite, MissingDirectoryOrEmptyPathIsAClearError) {
  TempDir dir;
  auto db = open_sqlite(dir.file("no/such/dir/kolokol.db"));
  ASSERT_FALSE(db.has_value());
  EXPECT_TRUE(contains(db.error(), "cannot create")) << db.error();
  EXPECT_TRUE(contains(db.error(), "No such file or directory")) << db.error();

  db = open_sqlite("");
  ASSERT_FALSE(db.has_value());
  EXPECT_FALSE(db.error().empty());
}

TEST(OpenSqlite, InMemoryDatabaseWorks) {
  auto db = open_sqlite(":memory:");
  ASSERT_TRUE(db.has_value()) << db.error();
  Tenant acme;
  acme.name = "acme";
  acme.realm = "acme";
  ASSERT_TRUE((*db)->tenants().create(acme).has_value());
  EXPECT_EQ((*db)->tenants().list()->size(), 1u);
}

TEST(Migrator, AFailedStepLeavesThePreviousVersion) {
  TempDir dir;
  const std::string path = dir.file("steps.db");
  auto connection = sqlite::Connection::open(path);
  ASSERT_TRUE(connection.has_value()) << connection.error();
  const Migration steps[] = {
      {1, "first", "CREATE TABLE one (x INTEGER)"},
      {2, "broken", "CREATE TABLE two (x INTEGER); CREATE TABLE oops oops oops"},
  };
  auto version = sqlite::migrate(*connection, steps);
  ASSERT_FALSE(version.has_value());
  EXPECT_TRUE(contains(version.error(), "migration 2 (broken)")) << version.error();

  RawSqlite raw(path);
  EXPECT_EQ(raw.number("SELECT max(version) FROM schema_version"), 1);
  EXPECT_EQ(raw.number("SELECT count(*) FROM sqlite_master WHERE name = 'one'"), 1);
  EXPECT_EQ(raw.number("SELECT count(*) FROM sqlite_master WHERE name = 'two'"), 0);

  // Fixed, the step goes through, and only it runs.
  const Migration fixed[] = {
      {1, "first", "CREATE TABLE one (x INTEGER)"},
      {2, "fixed", "CREATE TABLE two (x INTEGER)"},
  };
  version = sqlite::migrate(*connection, fixed);
  ASSERT_TRUE(version.has_value()) << version.error();
  EXPECT_EQ(*version, 2);
  EXPECT_EQ(raw.number("SELECT count(*) FROM schema_version"), 2);
}

}  // namespace
}  // namespace kolokol::storage::testing
