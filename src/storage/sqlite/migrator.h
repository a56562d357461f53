#pragma once

#include <span>
#include <string>

#include "base/expected.h"
#include "storage/schema.h"
#include "storage/sqlite/connection.h"

namespace kolokol::storage::sqlite {

// Brings the database up to the last of `migrations`, recording each applied step in the
// `schema_version` table; each step runs in one transaction of its own, so a failure leaves the
// database at the previous version. Refuses a database whose version is newer than the last
// step (written by a newer Kolokol) and a non-empty database without that table (not ours).
// Returns the version afterwards.
base::Expected<int, std::string> migrate(Connection& connection,
                                         std::span<const Migration> migrations);

}  // namespace kolokol::storage::sqlite
