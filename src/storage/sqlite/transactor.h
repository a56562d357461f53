#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"

namespace kolokol::storage::sqlite {

// Who opens and closes transactions on one connection. A repository call is atomic on its own
// (its own transaction) or part of the caller's Database::transaction, where it opens nothing:
// a failure there dooms the whole transaction. transaction() inside transaction() is a
// SAVEPOINT: only the inner work rolls back when it fails.
class Transactor {
 public:
  enum class Access : std::uint8_t { Read, Write };

  explicit Transactor(Connection& connection) : connection_(connection) {}

  // Runs `op` (returning a Result) atomically, as described above.
  template <typename Op>
  auto atomically(Access access, Op&& op) -> decltype(op()) {
    if (!levels_.empty()) {
      if (auto lost = check_still_open(); !lost) return base::unexpected(lost.error());
      auto result = op();
      if (!result) note_failure(result.error());
      return result;
    }
    if (auto begun = begin(access); !begun) return base::unexpected(begun.error());
    RollbackUnlessCommitted guard(*this);
    auto result = op();
    if (!result) return result;  // the guard rolls back
    if (auto committed = commit(); !committed) return base::unexpected(committed.error());
    guard.committed = true;
    return result;
  }

  // Database::transaction: commits when `work` returns true and no repository call inside
  // failed. Otherwise rolls back and reports the first failure inside, or (Invalid) that the
  // work itself declined.
  Result<Done> run(const std::function<bool()>& work);

 private:
  struct RollbackUnlessCommitted {
    explicit RollbackUnlessCommitted(Transactor& owner) : owner(owner) {}
    ~RollbackUnlessCommitted() {
      if (!committed) owner.rollback();
    }
    Transactor& owner;
    bool committed = false;
  };

  Result<Done> begin(Access access);
  Result<Done> commit();
  void rollback();
  void undo_level(bool outermost);
  Result<Done> check_still_open();
  void note_failure(const StorageError& error);

  Connection& connection_;
  // One entry per open level (the transaction, then savepoints): its first failure, if any.
  std::vector<std::optional<StorageError>> levels_;
};

}  // namespace kolokol::storage::sqlite
