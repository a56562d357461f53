#pragma once

#include <cstdint>

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

}  // namespace kolokol::registrar
