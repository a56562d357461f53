#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/repositories.h"

struct sqlite3;
struct sqlite3_stmt;

namespace kolokol::storage::sqlite {

// One prepared statement (RAII: finalized with the object). Values only ever reach SQL through
// the bind_* calls; parameter indexes are 1-based as in SQLite, columns 0-based.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // A failed bind (a wrong index: a programming error) is reported by the next step().
  Statement& bind_int(int index, std::int64_t value);
  Statement& bind_real(int index, double value);
  Statement& bind_text(int index, std::string_view value);
  Statement& bind_null(int index);
  Statement& bind_optional_int(int index, const std::optional<std::int64_t>& value);

  // Makes the statement ready to run again, with no parameters bound.
  Statement& reset();

  // Advances: true when a row is ready to read, false when the statement has finished.
  Result<bool> step();
  // Runs a statement that returns no rows (INSERT, UPDATE, DELETE) to completion.
  Result<Done> run();

  std::int64_t column_int(int column) const;
  double column_real(int column) const;
  std::string column_text(int column) const;
  bool column_is_null(int column) const;
  std::optional<std::int64_t> column_optional_int(int column) const;

 private:
  void note_bind(int code);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  int bind_error_ = 0;  // the first failed bind's code
};

}  // namespace kolokol::storage::sqlite
