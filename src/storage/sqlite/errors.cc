#include "storage/sqlite/errors.h"

#include <sqlite3.h>

#include <utility>

namespace kolokol::storage::sqlite {

StorageError error_from(sqlite3* db, int code) {
  std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return {StorageError::Kind::Conflict, std::move(message)};
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return {StorageError::Kind::Invalid, std::move(message) + " (a referenced row is missing)"};
    case SQLITE_NOTADB:
      return {StorageError::Kind::Backend, "not a SQLite database (" + message + ")"};
    default:
      return {StorageError::Kind::Backend, std::move(message)};
  }
}

StorageError in_context(StorageError error, std::string_view doing) {
  error.message = std::string(doing) + ": " + error.message;
  return error;
}

StorageError invalid(std::string message) {
  return {StorageError::Kind::Invalid, std::move(message)};
}

StorageError not_found(std::string message) {
  return {StorageError::Kind::NotFound, std::move(message)};
}

}  // namespace kolokol::storage::sqlite
