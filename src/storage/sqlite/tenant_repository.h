#pragma once

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/transactor.h"

namespace kolokol::storage::sqlite {

// Tenants in `tenants`, their domains in `tenant_domains` (in the order given).
class SqliteTenantRepository final : public TenantRepository {
 public:
  SqliteTenantRepository(Connection& connection, Transactor& transactor)
      : connection_(connection), transactor_(transactor) {}

  Result<std::vector<Tenant>> list() override;
  // Invalid for an empty name or realm and for a domain that is empty, not lower-case or listed
  // twice; Conflict when the name or a domain is taken, or for a second default tenant.
  Result<Tenant> create(Tenant tenant) override;
  // Renames, sets is_default and replaces the domains; NotFound for an unknown id, Invalid for
  // a changed realm (every stored HA1 was computed in it).
  Result<Tenant> update(const Tenant& tenant) override;

 private:
  Result<Done> write_domains(const Tenant& tenant);

  Connection& connection_;
  Transactor& transactor_;
};

}  // namespace kolokol::storage::sqlite
