#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "storage/repositories.h"
#include "storage/sqlite/statement.h"

struct sqlite3;

namespace kolokol::storage::sqlite {

// One SQLite connection (RAII: closed with the object), set up the way Kolokol runs it.
class Connection {
 public:
  // Opens `path`, creating it with mode 0600 when missing (":memory:" for a private in-memory
  // database), and sets up: WAL journal, synchronous=NORMAL, foreign keys on, 5 s busy timeout.
  // A file that is not a SQLite database is refused here, with SQLite's reason.
  static base::Expected<Connection, std::string> open(const std::string& path);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs fixed SQL (one or more statements, no values: those go through prepare and bind).
  Result<Done> exec(const char* sql);
  Result<Statement> prepare(std::string_view sql);

  // Rows the last INSERT/UPDATE/DELETE changed, and the rowid the last INSERT assigned.
  std::int64_t changes() const;
  std::int64_t last_insert_id() const;
  // False while a transaction is open (SQLite may also end one itself after some errors).
  bool autocommit() const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  base::Expected<Done, std::string> configure(bool in_memory);

  sqlite3* db_ = nullptr;
};

}  // namespace kolokol::storage::sqlite
