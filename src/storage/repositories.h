#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "storage/model.h"

namespace kolokol::storage {

// What a storage operation reports when it fails: a constraint (a duplicate name), a missing
// row, or the backend itself (I/O, corruption). `message` is for logs and API errors.
struct StorageError {
  enum class Kind : std::uint8_t { Conflict, NotFound, Invalid, Backend };
  Kind kind = Kind::Backend;
  std::string message;
};
template <typename T>
using Result = base::Expected<T, StorageError>;
struct Done {};

// Repository interfaces: the only way code above storage reaches the database. Implementations
// are synchronous and blocking; they are called from the database thread only (never from a SIP
// or media thread), and each call is one transaction.
class TenantRepository {
 public:
  virtual ~TenantRepository() = default;
  virtual Result<std::vector<Tenant>> list() = 0;
  virtual Result<Tenant> create(Tenant tenant) = 0;  // id assigned
  virtual Result<Tenant> update(const Tenant& tenant) = 0;
};

class ExtensionRepository {
 public:
  virtual ~ExtensionRepository() = default;
  virtual Result<std::vector<Extension>> list(RowId tenant_id) = 0;
  virtual Result<std::vector<Extension>> list_all() = 0;
  virtual Result<Extension> create(Extension extension) = 0;  // Conflict on a duplicate number
  virtual Result<Extension> update(const Extension& extension) = 0;
  virtual Result<Done> remove(RowId extension_id) = 0;  // and its bindings
};

class RegistrationRepository {
 public:
  virtual ~RegistrationRepository() = default;
  virtual Result<std::vector<ContactBinding>> load_all() = 0;
  // Inserts or replaces the binding of (extension_id, contact).
  virtual Result<Done> upsert(const ContactBinding& binding) = 0;
  virtual Result<Done> remove(RowId extension_id, std::string_view contact) = 0;
  virtual Result<Done> remove_all(RowId extension_id) = 0;
  virtual Result<std::size_t> remove_expired(UnixSeconds now) = 0;
};

struct CdrQuery {
  std::optional<RowId> tenant_id;
  std::optional<std::string> number;  // caller or callee
  std::size_t limit = 50;             // newest first
};

class CdrRepository {
 public:
  virtual ~CdrRepository() = default;
  virtual Result<Done> insert(const CallRecord& record) = 0;
  virtual Result<std::vector<CallRecord>> recent(const CdrQuery& query) = 0;
};

// One database: the repositories over one connection, migrated on open.
class Database {
 public:
  virtual ~Database() = default;
  virtual TenantRepository& tenants() = 0;
  virtual ExtensionRepository& extensions() = 0;
  virtual RegistrationRepository& registrations() = 0;
  virtual CdrRepository& cdr() = 0;
  // Runs `work` in one transaction: committed when it returns true, rolled back otherwise (and
  // when a repository call inside failed).
  virtual Result<Done> transaction(const std::function<bool()>& work) = 0;
  // The schema version after migrations (for logs and `kolokol status`).
  virtual int schema_version() const = 0;
};

}  // namespace kolokol::storage
