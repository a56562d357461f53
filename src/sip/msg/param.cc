#include "sip/msg/param.h"

#include <algorithm>

#include "sip/msg/scan.h"

namespace kolokol::sip {

const Param* find_param(const Params& params, std::string_view name) {
  for (const Param& p : params) {
    if (detail::iequals(p.name, name)) return &p;
  }
  return nullptr;
}

bool has_param(const Params& params, std::string_view name) {
  return find_param(params, name) != nullptr;
}

std::optional<std::string_view> param_value(const Params& params, std::string_view name) {
  const Param* p = find_param(params, name);
  if (p == nullptr || !p->value) return std::nullopt;
  return std::string_view(*p->value);
}

void set_param(Params& params, std::string_view name, std::optional<std::string_view> value) {
  std::optional<std::string> stored;
  if (value) stored.emplace(*value);
  for (Param& p : params) {
    if (detail::iequals(p.name, name)) {
      p.value = std::move(stored);
      return;
    }
  }
  params.push_back(Param{std::string(name), std::move(stored)});
}

void remove_param(Params& params, std::string_view name) {
  std::erase_if(params, [&](const Param& p) { return detail::iequals(p.name, name); });
}

}  // namespace kolokol::sip
