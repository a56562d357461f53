#include "storage/sqlite/statement.h"

#include <sqlite3.h>

#include <utility>

#include "storage/sqlite/errors.h"

namespace kolokol::storage::sqlite {

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      statement_(std::exchange(other.statement_, nullptr)),
      bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    db_ = other.db_;
    statement_ = std::exchange(other.statement_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(statement_);  // a no-op on nullptr
}

void Statement::note_bind(int code) {
  if (code != SQLITE_OK && bind_error_ == 0) bind_error_ = code;
}

Statement& Statement::bind_int(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(statement_, index, value));
  return *this;
}

Statement& Statement::bind_real(int index, double value) {
  note_bind(sqlite3_bind_double(statement_, index, value));
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies, so the caller's string may go away before step().
  note_bind(sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(statement_, index));
  return *this;
}

Statement& Statement::bind_optional_int(int index, const std::optional<std::int64_t>& value) {
  return value ? bind_int(index, *value) : bind_null(index);
}

Statement& Statement::reset() {
  sqlite3_reset(statement_);  // its code repeats the last step's error, already reported
  sqlite3_clear_bindings(statement_);
  bind_error_ = 0;
  return *this;
}

Result<bool> Statement::step() {
  if (bind_error_ != 0) {
    return base::unexpected(
        StorageError{StorageError::Kind::Backend,
                     std::string("binding a parameter: ") + sqlite3_errstr(bind_error_)});
  }
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return base::unexpected(error_from(db_, code));
}

Result<Done> Statement::run() {
  auto stepped = step();
  if (!stepped) return base::unexpected(stepped.error());
  if (*stepped) {
    return base::unexpected(StorageError{StorageError::Kind::Backend,
                                         "statement returned rows where none were expected"});
  }
  return Done{};
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(statement_, column);
}

double Statement::column_real(int column) const {
  return sqlite3_column_double(statement_, column);
}

std::string Statement::column_text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  if (!text) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::column_optional_int(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_int(column);
}

}  // namespace kolokol::storage::sqlite
