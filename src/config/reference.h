#pragma once

#include <string>

namespace kolokol::config {

// docs/configuration.md: every key of the schema with its type, default and meaning. Printed by
// `kolokold --print-config-reference`; a unit test keeps the checked-in file equal to it.
std::string render_reference_markdown();

}  // namespace kolokol::config
