#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "storage/repositories.h"
#include "storage/sqlite/sqlite_database.h"

namespace kolokol::storage::testing {

// A fresh directory per test, removed afterwards, and a database file in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kolokol-storage-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A test with an opened database at <temp>/kolokol.db.
class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_sqlite(path());
    ASSERT_TRUE(opened.has_value()) << opened.error();
    db_ = std::move(*opened);
  }

  std::string path() const { return dir_.file("kolokol.db"); }
  Database& db() { return *db_; }

  Tenant make_tenant(const std::string& name, std::vector<std::string> domains = {}) {
    Tenant tenant;
    tenant.name = name;
    tenant.realm = name + ".example";
    tenant.domains = std::move(domains);
    auto created = db().tenants().create(tenant);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created.has_value() ? *created : tenant;
  }

  Extension make_extension(RowId tenant_id, const std::string& number) {
    Extension extension;
    extension.tenant_id = tenant_id;
    extension.number = number;
    extension.display_name = "Ext " + number;
    extension.ha1_md5 = "md5-" + number;
    extension.ha1_sha256 = "sha-" + number;
    auto created = db().extensions().create(extension);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created.has_value() ? *created : extension;
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
};

}  // namespace kolokol::storage::testing
