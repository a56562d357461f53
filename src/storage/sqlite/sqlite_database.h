#pragma once

#include <memory>
#include <string>

#include "base/expected.h"
#include "storage/repositories.h"

namespace kolokol::storage {

// Opens the SQLite database at `path` (":memory:" for a private in-memory one), creating the
// file with mode 0600 when missing, and migrates it to the schema this build knows. The error
// text says what is wrong: the file cannot be created, is not a SQLite database, is not a
// Kolokol database, or was written by a newer Kolokol (a newer schema version).
//
// Database::transaction() runs BEGIN IMMEDIATE; repository calls inside it join it (a nested
// transaction() is a SAVEPOINT). When the work returns false the result is an Invalid error;
// when a repository call inside failed, that call's error.
base::Expected<std::unique_ptr<Database>, std::string> open_sqlite(const std::string& path);

}  // namespace kolokol::storage
