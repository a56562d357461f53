#include "storage/sqlite/extension_repository.h"

#include "storage/sqlite/errors.h"

namespace kolokol::storage::sqlite {
namespace {

constexpr const char* kSelectAll =
    "SELECT id, tenant_id, number, display_name, ha1_md5, ha1_sha256, enabled FROM extensions "
    "ORDER BY tenant_id, length(number), number";
constexpr const char* kSelectTenant =
    "SELECT id, tenant_id, number, display_name, ha1_md5, ha1_sha256, enabled FROM extensions "
    "WHERE tenant_id = ?1 ORDER BY length(number), number";

}  // namespace

Result<std::vector<Extension>> SqliteExtensionRepository::select(std::optional<RowId> tenant_id) {
  const char* doing = "listing extensions";
  auto rows = connection_.prepare(tenant_id ? kSelectTenant : kSelectAll);
  if (!rows) return base::unexpected(in_context(rows.error(), doing));
  if (tenant_id) rows->bind_int(1, *tenant_id);
  std::vector<Extension> extensions;
  for (;;) {
    auto row = rows->step();
    if (!row) return base::unexpected(in_context(row.error(), doing));
    if (!*row) break;
    Extension extension;
    extension.id = rows->column_int(0);
    extension.tenant_id = rows->column_int(1);
    extension.number = rows->column_text(2);
    extension.display_name = rows->column_text(3);
    extension.ha1_md5 = rows->column_text(4);
    extension.ha1_sha256 = rows->column_text(5);
    extension.enabled = rows->column_int(6) != 0;
    extensions.push_back(std::move(extension));
  }
  return extensions;
}

Result<std::vector<Extension>> SqliteExtensionRepository::list(RowId tenant_id) {
  return transactor_.atomically(Transactor::Access::Read, [&] { return select(tenant_id); });
}

Result<std::vector<Extension>> SqliteExtensionRepository::list_all() {
  return transactor_.atomically(Transactor::Access::Read, [&] { return select(std::nullopt); });
}

Result<Extension> SqliteExtensionRepository::create(Extension extension) {
  const std::string doing = "creating extension " + extension.number + " in tenant " +
                            std::to_string(extension.tenant_id);
  if (extension.number.empty()) {
    return base::unexpected(in_context(invalid("an extension needs a number"), doing));
  }
  return transactor_.atomically(Transactor::Access::Write, [&]() -> Result<Extension> {
    auto insert = connection_.prepare(
        "INSERT INTO extensions (tenant_id, number, display_name, ha1_md5, ha1_sha256, enabled) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert) return base::unexpected(in_context(insert.error(), doing));
    insert->bind_int(1, extension.tenant_id)
        .bind_text(2, extension.number)
        .bind_text(3, extension.display_name)
        .bind_text(4, extension.ha1_md5)
        .bind_text(5, extension.ha1_sha256)
        .bind_int(6, extension.enabled);
    if (auto done = insert->run(); !done) return base::unexpected(in_context(done.error(), doing));
    extension.id = connection_.last_insert_id();
    return extension;
  });
}

Result<Extension> SqliteExtensionRepository::update(const Extension& extension) {
  const std::string doing = "updating extension " + std::to_string(extension.id);
  if (extension.number.empty()) {
    return base::unexpected(in_context(invalid("an extension needs a number"), doing));
  }
  return transactor_.atomically(Transactor::Access::Write, [&]() -> Result<Extension> {
    auto statement = connection_.prepare(
        "UPDATE extensions SET number = ?1, display_name = ?2, ha1_md5 = ?3, ha1_sha256 = ?4, "
        "enabled = ?5 WHERE id = ?6 AND tenant_id = ?7");
    if (!statement) return base::unexpected(in_context(statement.error(), doing));
    statement->bind_text(1, extension.number)
        .bind_text(2, extension.display_name)
        .bind_text(3, extension.ha1_md5)
        .bind_text(4, extension.ha1_sha256)
        .bind_int(5, extension.enabled)
        .bind_int(6, extension.id)
        .bind_int(7, extension.tenant_id);
    if (auto done = statement->run(); !done) {
      return base::unexpected(in_context(done.error(), doing));
    }
    if (connection_.changes() == 0) {
      return base::unexpected(in_context(
          not_found("no such extension in tenant " + std::to_string(extension.tenant_id)), doing));
    }
    return extension;
  });
}

Result<Done> SqliteExtensionRepository::remove(RowId extension_id) {
  const std::string doing = "removing extension " + std::to_string(extension_id);
  return transactor_.atomically(Transactor::Access::Write, [&]() -> Result<Done> {
    auto statement = connection_.prepare("DELETE FROM extensions WHERE id = ?1");
    if (!statement) return base::unexpected(in_context(statement.error(), doing));
    statement->bind_int(1, extension_id);
    if (auto done = statement->run(); !done) {
      return base::unexpected(in_context(done.error(), doing));
    }
    if (connection_.changes() == 0) {
      return base::unexpected(in_context(not_found("no such extension"), doing));
    }
    return Done{};
  });
}

}  // namespace kolokol::storage::sqlite
