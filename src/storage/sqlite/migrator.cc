#include "storage/sqlite/migrator.h"

#include <chrono>
#include <string>

#include "storage/sqlite/errors.h"

namespace kolokol::storage::sqlite {
namespace {

constexpr const char* kCreateVersionTable =
    "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, "
    "applied_at BIGINT NOT NULL)";

Result<std::int64_t> count(Connection& connection, const char* sql) {
  auto statement = connection.prepare(sql);
  if (!statement) return base::unexpected(statement.error());
  auto row = statement->step();
  if (!row) return base::unexpected(row.error());
  return *row ? statement->column_int(0) : 0;
}

// The recorded version, creating the table in an empty database. Runs inside a transaction.
base::Expected<int, std::string> current_version(Connection& connection) {
  auto has_table = count(connection,
                         "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                         "'schema_version'");
  if (!has_table) return base::unexpected(has_table.error().message);
  if (*has_table == 0) {
    auto objects = count(connection, "SELECT count(*) FROM sqlite_master");
    if (!objects) return base::unexpected(objects.error().message);
    if (*objects > 0) {
      return base::unexpected(std::string(
          "the database has tables but no schema_version table: not a Kolokol database"));
    }
    if (auto created = connection.exec(kCreateVersionTable); !created) {
      return base::unexpected("creating schema_version: " + created.error().message);
    }
    return 0;
  }
  auto version = count(connection, "SELECT coalesce(max(version), 0) FROM schema_version");
  if (!version) return base::unexpected(version.error().message);
  return static_cast<int>(*version);
}

// One step, or none when another process got there first; inside its own transaction.
base::Expected<int, std::string> apply(Connection& connection, const Migration* step, int latest) {
  if (auto begun = connection.exec("BEGIN IMMEDIATE"); !begun) {
    return base::unexpected("reading the schema version: " + begun.error().message);
  }
  auto rollback = [&connection](std::string message) -> base::Expected<int, std::string> {
    if (!connection.autocommit()) connection.exec("ROLLBACK");
    return base::unexpected(std::move(message));
  };
  auto version = current_version(connection);
  if (!version) return rollback(version.error());
  if (*version > latest) {
    return rollback("the database has schema version " + std::to_string(*version) +
                    ", newer than this build knows (" + std::to_string(latest) +
                    "): it was written by a newer Kolokol");
  }
  if (step && *version < step->version) {
    if (*version != step->version - 1) {
      return rollback("schema version " + std::to_string(*version) + " has no step to version " +
                      std::to_string(step->version));
    }
    const std::string what =
        "migration " + std::to_string(step->version) + " (" + step->description + ")";
    if (auto done = connection.exec(step->sql); !done) {
      return rollback(what + " failed: " + done.error().message);
    }
    auto record =
        connection.prepare("INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)");
    if (!record) return rollback(what + ": " + record.error().message);
    record->bind_int(1, step->version).bind_int(2, storage::unix_now());
    if (auto done = record->run(); !done) return rollback(what + ": " + done.error().message);
    *version = step->version;
  }
  if (auto committed = connection.exec("COMMIT"); !committed) {
    return rollback("committing the schema: " + committed.error().message);
  }
  return *version;
}

}  // namespace

base::Expected<int, std::string> migrate(Connection& connection,
                                         std::span<const Migration> migrations) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  // First a look without a step: creates schema_version, refuses what is not ours or too new.
  auto version = apply(connection, nullptr, latest);
  if (!version) return version;
  for (const Migration& step : migrations) {
    if (step.version <= *version) continue;
    version = apply(connection, &step, latest);
    if (!version) return version;
  }
  return version;
}

}  // namespace kolokol::storage::sqlite
