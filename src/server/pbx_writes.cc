#include "server/pbx_writes.h"

#include <string_view>
#include <utility>

namespace kolokol::server {

std::optional<std::string> apply_binding_change(storage::Database& db,
                                                const registrar::BindingChange& change) {
  storage::Result<storage::Done> done = storage::Done{};
  switch (change.kind) {
    case registrar::BindingChange::Kind::Upsert:
      done = db.registrations().upsert(change.binding);
      break;
    case registrar::BindingChange::Kind::Remove:
      done = db.registrations().remove(change.binding.extension_id, change.binding.contact);
      break;
    case registrar::BindingChange::Kind::RemoveAll:
      done = db.registrations().remove_all(change.binding.extension_id);
      break;
  }
  // A binding already gone (removed twice: expiry and unregister racing) is no failure.
  if (done || done.error().kind == storage::StorageError::Kind::NotFound) return std::nullopt;
  return done.error().message;
}

namespace {

// Runs each item's write in its own savepoint inside one transaction; failures are logged.
template <typename Item, typename Write>
void write_each(storage::Database& db, const std::vector<Item>& items, Write write,
                const base::Logger& log, std::string_view what) {
  auto written = db.transaction([&] {
    for (const Item& item : items) {
      std::optional<std::string> error;
      db.transaction([&] {
        error = write(item);
        return !error;
      });
      if (error) log.error("{} not saved: {}", what, *error);
    }
    return true;
  });
  if (!written) log.error("{} {}(s) not saved: {}", items.size(), what, written.error().message);
}

}  // namespace

void write_binding_changes(storage::Database& db, std::vector<registrar::BindingChange> changes,
                           const base::Logger& log) {
  changes = registrar::latest_changes(std::move(changes));
  write_each(
      db, changes,
      [&db](const registrar::BindingChange& change) { return apply_binding_change(db, change); },
      log, "registration change");
}

void write_call_records(storage::Database& db, std::vector<storage::CallRecord> records,
                        const base::Logger& log) {
  write_each(
      db, records,
      [&db](const storage::CallRecord& record) -> std::optional<std::string> {
        if (auto done = db.cdr().insert(record); !done) {
          return "call " + record.call_id + ": " + done.error().message;
        }
        return std::nullopt;
      },
      log, "call record");
}

}  // namespace kolokol::server
