#pragma once

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/transactor.h"

namespace kolokol::storage::sqlite {

// Extensions in `extensions`; removing one removes its contact bindings (ON DELETE CASCADE).
class SqliteExtensionRepository final : public ExtensionRepository {
 public:
  SqliteExtensionRepository(Connection& connection, Transactor& transactor)
      : connection_(connection), transactor_(transactor) {}

  // In dialling order (shorter numbers first).
  Result<std::vector<Extension>> list(RowId tenant_id) override;
  Result<std::vector<Extension>> list_all() override;
  // Conflict on a duplicate number in the tenant, Invalid for an unknown tenant or an empty
  // number.
  Result<Extension> create(Extension extension) override;
  // Everything but the tenant, which is fixed (the HA1 values are in its realm): NotFound when
  // no extension has this id in this tenant.
  Result<Extension> update(const Extension& extension) override;
  Result<Done> remove(RowId extension_id) override;

 private:
  Result<std::vector<Extension>> select(std::optional<RowId> tenant_id);

  Connection& connection_;
  Transactor& transactor_;
};

}  // namespace kolokol::storage::sqlite
