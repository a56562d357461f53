#include "storage/sqlite/transactor.h"

#include "storage/sqlite/errors.h"

namespace kolokol::storage::sqlite {
namespace {

// SQLite nests savepoints of the same name; ROLLBACK TO and RELEASE address the newest one.
constexpr const char* kSavepoint = "SAVEPOINT kolokol_nested";
constexpr const char* kRollbackToSavepoint = "ROLLBACK TO kolokol_nested";
constexpr const char* kReleaseSavepoint = "RELEASE kolokol_nested";

StorageError lost_transaction() {
  return {StorageError::Kind::Backend, "the transaction was rolled back by an earlier error"};
}

}  // namespace

Result<Done> Transactor::begin(Access access) {
  // IMMEDIATE takes the write lock up front, so a writer never fails halfway with SQLITE_BUSY
  // on lock upgrade; readers take no lock they do not need.
  auto begun = connection_.exec(access == Access::Write ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!begun) return base::unexpected(in_context(begun.error(), "beginning a transaction"));
  return Done{};
}

Result<Done> Transactor::commit() {
  auto committed = connection_.exec("COMMIT");
  if (!committed) return base::unexpected(in_context(committed.error(), "committing"));
  return Done{};
}

void Transactor::rollback() {
  // SQLite ends the transaction itself after some errors (I/O, full disk); then there is
  // nothing left to roll back.
  if (!connection_.autocommit()) connection_.exec("ROLLBACK");
}

void Transactor::undo_level(bool outermost) {
  if (outermost) {
    rollback();
    return;
  }
  if (connection_.autocommit()) {
    // SQLite rolled the whole transaction back: the enclosing levels are lost too.
    note_failure(lost_transaction());
    return;
  }
  connection_.exec(kRollbackToSavepoint);
  connection_.exec(kReleaseSavepoint);
}

Result<Done> Transactor::check_still_open() {
  // After SQLite ended the transaction itself, every further statement would commit on its
  // own: refuse them instead.
  if (!connection_.autocommit()) return Done{};
  note_failure(lost_transaction());
  return base::unexpected(lost_transaction());
}

void Transactor::note_failure(const StorageError& error) {
  if (!levels_.back()) levels_.back() = error;
}

Result<Done> Transactor::run(const std::function<bool()>& work) {
  const bool outermost = levels_.empty();
  if (outermost) {
    if (auto begun = begin(Access::Write); !begun) return begun;
  } else {
    if (auto lost = check_still_open(); !lost) return lost;
    if (auto saved = connection_.exec(kSavepoint); !saved) {
      note_failure(saved.error());
      return saved;
    }
  }
  levels_.emplace_back();

  bool declined = false;
  std::optional<StorageError> failure;
  try {
    declined = !work();
  } catch (...) {
    levels_.pop_back();
    undo_level(outermost);
    throw;
  }
  failure = std::move(levels_.back());
  levels_.pop_back();

  if (!declined && !failure) {
    auto finished = outermost ? commit() : connection_.exec(kReleaseSavepoint);
    if (finished) return Done{};
    failure = finished.error();
  }
  undo_level(outermost);
  if (failure) return base::unexpected(std::move(*failure));
  return base::unexpected(invalid("transaction rolled back: the work returned false"));
}

}  // namespace kolokol::storage::sqlite
