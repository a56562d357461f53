#pragma once

#include <string>
#include <string_view>

#include "storage/repositories.h"

struct sqlite3;

namespace kolokol::storage::sqlite {

// What a failed SQLite call means to the repositories' callers: a UNIQUE (or primary key)
// violation is a Conflict, a dangling reference (FOREIGN KEY) is Invalid input, anything else
// is the backend's own failure. The message is SQLite's, read from `db` right after the call.
StorageError error_from(sqlite3* db, int code);

// `error` with what was being done in front of its message ("creating tenant acme: ...").
StorageError in_context(StorageError error, std::string_view doing);

StorageError invalid(std::string message);
StorageError not_found(std::string message);

}  // namespace kolokol::storage::sqlite
