#pragma once

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/transactor.h"

namespace kolokol::storage::sqlite {

// Contact bindings in `contact_bindings`, keyed by (extension_id, contact). The Path values are
// stored newline-joined: a header value cannot contain a line break, and one that does (or an
// empty one, which would not survive the round trip) is refused as Invalid.
class SqliteRegistrationRepository final : public RegistrationRepository {
 public:
  SqliteRegistrationRepository(Connection& connection, Transactor& transactor)
      : connection_(connection), transactor_(transactor) {}

  // Ordered by extension, then contact.
  Result<std::vector<ContactBinding>> load_all() override;
  // Invalid for an empty contact or an unknown extension.
  Result<Done> upsert(const ContactBinding& binding) override;
  // NotFound when there is no such binding.
  Result<Done> remove(RowId extension_id, std::string_view contact) override;
  Result<Done> remove_all(RowId extension_id) override;
  // Removes the bindings with expires_at <= now; returns how many.
  Result<std::size_t> remove_expired(UnixSeconds now) override;

 private:
  Connection& connection_;
  Transactor& transactor_;
};

}  // namespace kolokol::storage::sqlite
