#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kolokol::sip {

// A ";name=value" or ";name" parameter (URI, Via, name-addr, Content-Type ...).
// Names compare case-insensitively; value is kept as written (quotes included for quoted strings).
struct Param {
  std::string name;
  std::optional<std::string> value;
  bool operator==(const Param&) const = default;
};

using Params = std::vector<Param>;

const Param* find_param(const Params& params, std::string_view name);
bool has_param(const Params& params, std::string_view name);
// Value of the parameter, empty optional when absent or when it has no value.
std::optional<std::string_view> param_value(const Params& params, std::string_view name);
// Sets (replacing) or adds the parameter.
void set_param(Params& params, std::string_view name, std::optional<std::string_view> value);
void remove_param(Params& params, std::string_view name);

}  // namespace kolokol::sip
