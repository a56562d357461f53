#pragma once

#include <optional>
#include <string>

#include "registrar/binding_change.h"
#include "storage/repositories.h"

namespace kolokol::server {

// Writes one registrar change to the database; the error text when it failed.
std::optional<std::string> apply_binding_change(storage::Database& db,
                                                const registrar::BindingChange& change);

}  // namespace kolokol::server
