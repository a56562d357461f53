#include "storage/sqlite/tenant_repository.h"

#include <map>
#include <set>

#include "storage/sqlite/errors.h"

namespace kolokol::storage::sqlite {
namespace {

std::optional<StorageError> check(const Tenant& tenant) {
  if (tenant.name.empty()) return invalid("a tenant needs a name");
  if (tenant.realm.empty()) return invalid("tenant " + tenant.name + " needs a realm");
  std::set<std::string_view> seen;
  for (const auto& domain : tenant.domains) {
    if (domain.empty()) return invalid("tenant " + tenant.name + " has an empty domain");
    for (char c : domain) {
      if (c >= 'A' && c <= 'Z') {
        return invalid("domain " + domain + " of tenant " + tenant.name + " is not lower-case");
      }
    }
    if (!seen.insert(domain).second) {
      return invalid("domain " + domain + " is listed twice for tenant " + tenant.name);
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<Tenant>> SqliteTenantRepository::list() {
  return transactor_.atomically(Transactor::Access::Read, [&]() -> Result<std::vector<Tenant>> {
    std::vector<Tenant> tenants;
    auto rows = connection_.prepare("SELECT id, name, realm, is_default FROM tenants ORDER BY id");
    if (!rows) return base::unexpected(in_context(rows.error(), "listing tenants"));
    std::map<RowId, std::size_t> index;
    for (;;) {
      auto row = rows->step();
      if (!row) return base::unexpected(in_context(row.error(), "listing tenants"));
      if (!*row) break;
      Tenant tenant;
      tenant.id = rows->column_int(0);
      tenant.name = rows->column_text(1);
      tenant.realm = rows->column_text(2);
      tenant.is_default = rows->column_int(3) != 0;
      index.emplace(tenant.id, tenants.size());
      tenants.push_back(std::move(tenant));
    }
    auto domains = connection_.prepare(
        "SELECT tenant_id, domain FROM tenant_domains ORDER BY tenant_id, position");
    if (!domains) return base::unexpected(in_context(domains.error(), "listing domains"));
    for (;;) {
      auto row = domains->step();
      if (!row) return base::unexpected(in_context(row.error(), "listing domains"));
      if (!*row) break;
      auto found = index.find(domains->column_int(0));
      if (found != index.end()) tenants[found->second].domains.push_back(domains->column_text(1));
    }
    return tenants;
  });
}

Result<Done> SqliteTenantRepository::write_domains(const Tenant& tenant) {
  auto clear = connection_.prepare("DELETE FROM tenant_domains WHERE tenant_id = ?1");
  if (!clear) return base::unexpected(clear.error());
  clear->bind_int(1, tenant.id);
  if (auto done = clear->run(); !done) return done;
  auto insert = connection_.prepare(
      "INSERT INTO tenant_domains (tenant_id, domain, position) VALUES (?1, ?2, ?3)");
  if (!insert) return base::unexpected(insert.error());
  for (std::size_t i = 0; i < tenant.domains.size(); ++i) {
    insert->reset()
        .bind_int(1, tenant.id)
        .bind_text(2, tenant.domains[i])
        .bind_int(3, static_cast<std::int64_t>(i));
    if (auto done = insert->run(); !done) {
      return base::unexpected(in_context(done.error(), "domain " + tenant.domains[i]));
    }
  }
  return Done{};
}

Result<Tenant> SqliteTenantRepository::create(Tenant tenant) {
  const std::string doing = "creating tenant " + tenant.name;
  if (auto error = check(tenant)) return base::unexpected(in_context(*error, doing));
  return transactor_.atomically(Transactor::Access::Write, [&]() -> Result<Tenant> {
    auto insert =
        connection_.prepare("INSERT INTO tenants (name, realm, is_default) VALUES (?1, ?2, ?3)");
    if (!insert) return base::unexpected(in_context(insert.error(), doing));
    insert->bind_text(1, tenant.name).bind_text(2, tenant.realm).bind_int(3, tenant.is_default);
    if (auto done = insert->run(); !done) return base::unexpected(in_context(done.error(), doing));
    tenant.id = connection_.last_insert_id();
    if (auto done = write_domains(tenant); !done) {
      return base::unexpected(in_context(done.error(), doing));
    }
    return tenant;
  });
}

Result<Tenant> SqliteTenantRepository::update(const Tenant& tenant) {
  const std::string doing = "updating tenant " + std::to_string(tenant.id);
  if (auto error = check(tenant)) return base::unexpected(in_context(*error, doing));
  return transactor_.atomically(Transactor::Access::Write, [&]() -> Result<Tenant> {
    auto current = connection_.prepare("SELECT realm FROM tenants WHERE id = ?1");
    if (!current) return base::unexpected(in_context(current.error(), doing));
    current->bind_int(1, tenant.id);
    auto row = current->step();
    if (!row) return base::unexpected(in_context(row.error(), doing));
    if (!*row) return base::unexpected(in_context(not_found("no such tenant"), doing));
    if (current->column_text(0) != tenant.realm) {
      return base::unexpected(in_context(
          invalid("the realm cannot change (the stored password hashes were computed in it)"),
          doing));
    }
    auto statement =
        connection_.prepare("UPDATE tenants SET name = ?1, is_default = ?2 WHERE id = ?3");
    if (!statement) return base::unexpected(in_context(statement.error(), doing));
    statement->bind_text(1, tenant.name).bind_int(2, tenant.is_default).bind_int(3, tenant.id);
    if (auto done = statement->run(); !done) {
      return base::unexpected(in_context(done.error(), doing));
    }
    if (auto done = write_domains(tenant); !done) {
      return base::unexpected(in_context(done.error(), doing));
    }
    return tenant;
  });
}

}  // namespace kolokol::storage::sqlite
