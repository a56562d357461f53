#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/model.h"

namespace kolokol::directory {

// The tenants and extensions the SIP thread answers from: an in-memory copy of the database,
// updated by the daemon after each committed change. No SIP knowledge and no I/O; not
// thread-safe (one owner thread). Pointers it returns stay valid until the next change.
class Directory {
 public:
  void replace(std::vector<storage::Tenant> tenants, std::vector<storage::Extension> extensions);
  // Adds or replaces (by id). A domain another tenant had moves to this one.
  void upsert_tenant(const storage::Tenant& tenant);
  // Removes the tenant and its extensions.
  void remove_tenant(storage::RowId id);
  // Adds or replaces (by id); a renumbered extension leaves its old number free.
  void upsert_extension(const storage::Extension& extension);
  void remove_extension(storage::RowId id);
  // Addresses and names the default tenant answers for besides its domains: what the daemon
  // listens on or is known by.
  void set_local_hosts(std::vector<std::string> hosts);

  // The tenant a Request-URI or To host belongs to: one whose domain it is (ASCII
  // case-insensitive; IPv6 with or without brackets, in any spelling), else the default tenant
  // when the host is one of ours, else nullptr.
  const storage::Tenant* tenant_for_host(std::string_view host) const;
  // Whether the host is one of the local hosts (names this server rather than a tenant).
  bool is_local_host(std::string_view host) const;
  // The tenant whose digest realm this is (case-sensitive, as digest realms compare).
  const storage::Tenant* tenant_for_realm(std::string_view realm) const;
  const storage::Tenant* tenant(storage::RowId id) const;
  // The tenant marked default (the lowest id if several are); nullptr when none is.
  const storage::Tenant* default_tenant() const;
  const storage::Extension* extension(storage::RowId tenant_id, std::string_view number) const;
  const storage::Extension* extension_by_id(storage::RowId id) const;
  // A tenant's extensions in numeric order of their numbers ("99" before "100").
  std::vector<const storage::Extension*> extensions(storage::RowId tenant_id) const;
  // Every tenant, by id.
  std::vector<const storage::Tenant*> tenants() const;

 private:
  // Numbers order numerically (shorter first once leading zeros are stripped), then as text.
  struct NumberOrder {
    using is_transparent = void;
    bool operator()(const std::pair<storage::RowId, std::string>& a,
                    const std::pair<storage::RowId, std::string>& b) const;
    bool operator()(const std::pair<storage::RowId, std::string_view>& a,
                    const std::pair<storage::RowId, std::string>& b) const;
    bool operator()(const std::pair<storage::RowId, std::string>& a,
                    const std::pair<storage::RowId, std::string_view>& b) const;
  };
  void unindex_tenant_domains(storage::RowId id);

  std::map<storage::RowId, storage::Tenant> tenants_;
  std::map<storage::RowId, storage::Extension> extensions_;
  std::map<std::pair<storage::RowId, std::string>, storage::RowId, NumberOrder> by_number_;
  std::map<std::string, storage::RowId, std::less<>> by_domain_;  // normalised host
  std::vector<std::string> local_hosts_;                          // normalised
};

// The form hosts are compared in: ASCII lower case, IPv6 brackets removed and the address in
// its canonical text ("::1" for "[0:0::1]"), a trailing dot of a fully qualified name dropped.
std::string normalise_host(std::string_view host);

}  // namespace kolokol::directory
