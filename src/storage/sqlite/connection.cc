#include "storage/sqlite/connection.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "storage/sqlite/errors.h"

namespace kolokol::storage::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr const char* kInMemory = ":memory:";

// SQLite creates files 0644 (less the umask); the database holds password hashes, so a new file
// is made here first, owner-only. SQLite gives its -wal and -shm files the database's mode.
std::optional<std::string> create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return std::nullopt;
    return "cannot create " + path + ": " + std::strerror(errno);
  }
  ::fchmod(fd, 0600);  // the umask may have taken bits away; never adds any
  ::close(fd);
  return std::nullopt;
}

// Runs a PRAGMA that answers with one text value (journal_mode, foreign_keys).
base::Expected<std::string, std::string> pragma_value(Connection& connection, const char* sql) {
  auto statement = connection.prepare(sql);
  if (!statement) return base::unexpected(statement.error().message);
  auto row = statement->step();
  if (!row) return base::unexpected(row.error().message);
  if (!*row) return std::string();
  return statement->column_text(0);
}

}  // namespace

base::Expected<Connection, std::string> Connection::open(const std::string& path) {
  if (path.empty()) return base::unexpected(std::string("no database path given"));
  const bool in_memory = path == kInMemory;
  if (!in_memory) {
    if (auto error = create_private_file(path)) return base::unexpected(*error);
  }
  sqlite3* db = nullptr;
  const int code =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  // SQLite hands back a handle (for the message) even when opening failed.
  Connection connection(db);
  if (code != SQLITE_OK) {
    return base::unexpected("cannot open " + path + ": " +
                            (db ? sqlite3_errmsg(db) : sqlite3_errstr(code)));
  }
  auto configured = connection.configure(in_memory);
  if (!configured) return base::unexpected(configured.error());
  return connection;
}

base::Expected<Done, std::string> Connection::configure(bool in_memory) {
  sqlite3_extended_result_codes(db_, 1);  // tells UNIQUE from FOREIGN KEY violations
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // The first statement that reads the file: a garbage file fails here (SQLITE_NOTADB).
  auto journal = pragma_value(*this, "PRAGMA journal_mode = WAL");
  if (!journal) return base::unexpected(journal.error());
  if (!in_memory && *journal != "wal") {
    return base::unexpected("cannot use the WAL journal here (SQLite kept '" + *journal +
                            "'); is the file on a network file system?");
  }
  if (auto done = exec("PRAGMA synchronous = NORMAL"); !done) {
    return base::unexpected(done.error().message);
  }
  if (auto done = exec("PRAGMA foreign_keys = ON"); !done) {
    return base::unexpected(done.error().message);
  }
  // A SQLite built without foreign key support accepts the PRAGMA silently; the cascades the
  // schema relies on would then never run.
  auto foreign_keys = pragma_value(*this, "PRAGMA foreign_keys");
  if (!foreign_keys) return base::unexpected(foreign_keys.error());
  if (*foreign_keys != "1") {
    return base::unexpected(std::string("this SQLite library does not enforce foreign keys"));
  }
  return Done{};
}

Connection::Connection(Connection&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Connection::~Connection() {
  // close_v2: statements still alive (a bug) would make close() fail and leak the handle.
  sqlite3_close_v2(db_);
}

Result<Done> Connection::exec(const char* sql) {
  const int code = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) return base::unexpected(error_from(db_, code));
  return Done{};
}

Result<Statement> Connection::prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int code =
      sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (code != SQLITE_OK) {
    sqlite3_finalize(statement);
    return base::unexpected(error_from(db_, code));
  }
  return Statement(db_, statement);
}

std::int64_t Connection::changes() const {
  return sqlite3_changes64(db_);
}

std::int64_t Connection::last_insert_id() const {
  return sqlite3_last_insert_rowid(db_);
}

bool Connection::autocommit() const {
  return sqlite3_get_autocommit(db_) != 0;
}

}  // namespace kolokol::storage::sqlite
