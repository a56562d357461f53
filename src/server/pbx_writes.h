#pragma once

// What the PBX writes to the database while running: registrar changes and call records, in
// batches (WriteBehind) on the database thread.

#include <optional>
#include <string>
#include <vector>

#include "base/log.h"
#include "registrar/binding_change.h"
#include "storage/model.h"
#include "storage/repositories.h"

namespace kolokol::server {

// Writes one registrar change to the database; the error text when it failed.
std::optional<std::string> apply_binding_change(storage::Database& db,
                                                const registrar::BindingChange& change);

// Writes a batch of registrar changes (oldest first) in one transaction, only the latest change
// of each binding, each in its own savepoint so one failure (its extension was just deleted)
// does not take the others with it.
void write_binding_changes(storage::Database& db, std::vector<registrar::BindingChange> changes,
                           const base::Logger& log);

// Inserts a batch of call records in one transaction, each in its own savepoint.
void write_call_records(storage::Database& db, std::vector<storage::CallRecord> records,
                        const base::Logger& log);

}  // namespace kolokol::server
