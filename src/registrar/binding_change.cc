#include "registrar/binding_change.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

namespace kolokol::registrar {

std::vector<BindingChange> latest_changes(std::vector<BindingChange> changes) {
  std::set<std::pair<storage::RowId, std::string_view>> bindings_seen;
  std::set<storage::RowId> extensions_cleared;
  std::vector<bool> keep(changes.size(), false);
  // From the newest backwards: the first change met for a binding is the one that counts.
  for (std::size_t i = changes.size(); i-- > 0;) {
    const BindingChange& change = changes[i];
    const storage::RowId extension = change.binding.extension_id;
    if (extensions_cleared.contains(extension)) continue;
    if (change.kind == BindingChange::Kind::RemoveAll) {
      extensions_cleared.insert(extension);
      keep[i] = true;
      continue;
    }
    keep[i] = bindings_seen.emplace(extension, change.binding.contact).second;
  }
  std::vector<BindingChange> out;
  out.reserve(static_cast<std::size_t>(std::count(keep.begin(), keep.end(), true)));
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (keep[i]) out.push_back(std::move(changes[i]));
  }
  return out;
}

}  // namespace kolokol::registrar
