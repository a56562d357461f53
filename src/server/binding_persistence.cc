#include "server/binding_persistence.h"

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

}  // namespace kolokol::server
