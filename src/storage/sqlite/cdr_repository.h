#pragma once

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/transactor.h"

namespace kolokol::storage::sqlite {

// Call records in `call_records`.
class SqliteCdrRepository final : public CdrRepository {
 public:
  SqliteCdrRepository(Connection& connection, Transactor& transactor)
      : connection_(connection), transactor_(transactor) {}

  // Conflict when a record with this call_id exists, Invalid for an empty call_id.
  Result<Done> insert(const CallRecord& record) override;
  // Newest first (start, then insertion order), at most query.limit records.
  Result<std::vector<CallRecord>> recent(const CdrQuery& query) override;

 private:
  Connection& connection_;
  Transactor& transactor_;
};

}  // namespace kolokol::storage::sqlite
