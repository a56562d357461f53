#pragma once

#include <cstdint>
#include <vector>

#include "storage/model.h"

namespace kolokol::registrar {

// A change of the location service that the daemon persists (on its database thread).
struct BindingChange {
  enum class Kind : std::uint8_t {
    Upsert,     // binding: the whole record, added or refreshed
    Remove,     // binding: the record removed (unregistered, expired or replaced)
    RemoveAll,  // binding.extension_id only: every binding of the extension went
  };
  Kind kind = Kind::Upsert;
  storage::ContactBinding binding;
};

// The changes that still matter once `changes` (oldest first) are applied in order: a change is
// dropped when a later one touches the same binding (extension, contact) or removes every
// binding of its extension. Phones refresh every few minutes, so a batch written at once often
// holds several changes of one binding.
std::vector<BindingChange> latest_changes(std::vector<BindingChange> changes);

}  // namespace kolokol::registrar
