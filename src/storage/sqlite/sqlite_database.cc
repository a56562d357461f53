#include "storage/sqlite/sqlite_database.h"

#include <utility>

#include "storage/schema.h"
#include "storage/sqlite/cdr_repository.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/extension_repository.h"
#include "storage/sqlite/migrator.h"
#include "storage/sqlite/registration_repository.h"
#include "storage/sqlite/tenant_repository.h"
#include "storage/sqlite/transactor.h"

namespace kolokol::storage {
namespace {

// The repositories over one migrated connection. Not movable: they all hold references to it.
class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(sqlite::Connection connection, int schema_version)
      : connection_(std::move(connection)), schema_version_(schema_version) {}
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  TenantRepository& tenants() override { return tenants_; }
  ExtensionRepository& extensions() override { return extensions_; }
  RegistrationRepository& registrations() override { return registrations_; }
  CdrRepository& cdr() override { return cdr_; }
  Result<Done> transaction(const std::function<bool()>& work) override {
    return transactor_.run(work);
  }
  int schema_version() const override { return schema_version_; }

 private:
  sqlite::Connection connection_;
  int schema_version_;
  sqlite::Transactor transactor_{connection_};
  sqlite::SqliteTenantRepository tenants_{connection_, transactor_};
  sqlite::SqliteExtensionRepository extensions_{connection_, transactor_};
  sqlite::SqliteRegistrationRepository registrations_{connection_, transactor_};
  sqlite::SqliteCdrRepository cdr_{connection_, transactor_};
};

}  // namespace

base::Expected<std::unique_ptr<Database>, std::string> open_sqlite(const std::string& path) {
  auto connection = sqlite::Connection::open(path);
  if (!connection) return base::unexpected(connection.error());
  auto version = sqlite::migrate(*connection, schema_migrations());
  if (!version) return base::unexpected(version.error());
  return std::unique_ptr<Database>(new SqliteDatabase(std::move(*connection), *version));
}

}  // namespace kolokol::storage
