#include "registrar/location_service.h"

#include <algorithm>

#include "registrar/endpoint_text.h"

namespace kolokol::registrar {

sip::Uri Binding::uri() const {
  auto parsed = sip::parse_uri(record.contact);
  return parsed ? std::move(*parsed) : sip::Uri{};
}

sip::Endpoint Binding::destination() const {
  auto parsed = parse_endpoint_text(record.received);
  return parsed ? std::move(*parsed) : sip::Endpoint{};
}

sip::Endpoint Binding::local() const {
  auto parsed = parse_endpoint_text(record.local);
  return parsed ? std::move(*parsed) : sip::Endpoint{};
}

std::optional<Binding> LocationService::parse(storage::ContactBinding record) {
  auto uri = sip::parse_uri(record.contact);
  auto destination = parse_endpoint_text(record.received);
  auto local = parse_endpoint_text(record.local);
  if (!uri || !uri->is_sip() || !destination || !local) return std::nullopt;
  Binding binding;
  binding.record = std::move(record);
  return binding;
}

std::size_t LocationService::load(std::vector<storage::ContactBinding> bindings,
                                  storage::UnixSeconds now) {
  // The registration order is not stored; the later a binding expires, the later it was
  // probably refreshed, so that order stands in for it.
  std::stable_sort(bindings.begin(), bindings.end(),
                   [](const auto& a, const auto& b) { return a.expires_at < b.expires_at; });
  std::size_t kept = 0;
  for (auto& record : bindings) {
    if (record.expires_at <= now) continue;
    if (upsert(std::move(record))) ++kept;
  }
  return kept;
}

const Binding* LocationService::upsert(storage::ContactBinding record) {
  auto binding = parse(std::move(record));
  if (!binding) return nullptr;
  return upsert(std::move(*binding));
}

const Binding* LocationService::upsert(Binding binding) {
  binding.sequence = next_sequence_++;
  auto& list = by_extension_[binding.record.extension_id];
  const sip::Uri uri = binding.uri();
  for (Binding& existing : list) {
    if (!existing.uri().equivalent(uri)) continue;
    binding.id = existing.id;
    binding.round_trip = existing.round_trip;
    binding.next_qualify = existing.next_qualify;
    binding.qualify_scheduled = existing.qualify_scheduled;
    binding.qualify_pending = existing.qualify_pending;
    binding.reachable = true;
    existing = std::move(binding);
    return &existing;
  }
  binding.id = next_id_++;
  binding.reachable = true;
  binding.round_trip.reset();
  binding.qualify_scheduled = false;
  binding.qualify_pending = false;
  by_id_[binding.id] = binding.record.extension_id;
  list.push_back(std::move(binding));
  return &list.back();
}

Binding* LocationService::find(storage::RowId extension_id, const sip::Uri& contact) {
  auto it = by_extension_.find(extension_id);
  if (it == by_extension_.end()) return nullptr;
  for (Binding& binding : it->second) {
    if (binding.uri().equivalent(contact)) return &binding;
  }
  return nullptr;
}

const Binding* LocationService::find(storage::RowId extension_id, const sip::Uri& contact) const {
  return const_cast<LocationService*>(this)->find(extension_id, contact);
}

Binding* LocationService::find_by_id(std::uint64_t id) {
  auto owner = by_id_.find(id);
  if (owner == by_id_.end()) return nullptr;
  auto it = by_extension_.find(owner->second);
  if (it == by_extension_.end()) return nullptr;
  for (Binding& binding : it->second) {
    if (binding.id == id) return &binding;
  }
  return nullptr;
}

std::optional<storage::ContactBinding> LocationService::remove(storage::RowId extension_id,
                                                               const sip::Uri& contact) {
  auto it = by_extension_.find(extension_id);
  if (it == by_extension_.end()) return std::nullopt;
  auto& list = it->second;
  auto found = std::find_if(list.begin(), list.end(), [&](const Binding& binding) {
    return binding.uri().equivalent(contact);
  });
  if (found == list.end()) return std::nullopt;
  storage::ContactBinding removed = std::move(found->record);
  forget(*found);
  list.erase(found);
  if (list.empty()) by_extension_.erase(it);
  return removed;
}

std::vector<storage::ContactBinding> LocationService::remove_all(storage::RowId extension_id) {
  std::vector<storage::ContactBinding> removed;
  auto it = by_extension_.find(extension_id);
  if (it == by_extension_.end()) return removed;
  for (Binding& binding : it->second) {
    forget(binding);
    removed.push_back(std::move(binding.record));
  }
  by_extension_.erase(it);
  return removed;
}

std::vector<const Binding*> LocationService::contacts(storage::RowId extension_id,
                                                      storage::UnixSeconds now) const {
  std::vector<const Binding*> out;
  auto it = by_extension_.find(extension_id);
  if (it == by_extension_.end()) return out;
  for (const Binding& binding : it->second) {
    if (binding.record.expires_at > now) out.push_back(&binding);
  }
  std::sort(out.begin(), out.end(), [](const Binding* a, const Binding* b) {
    if (a->record.q != b->record.q) return a->record.q > b->record.q;
    return a->sequence > b->sequence;
  });
  return out;
}

std::vector<const Binding*> LocationService::reachable_contacts(storage::RowId extension_id,
                                                                storage::UnixSeconds now) const {
  auto out = contacts(extension_id, now);
  std::erase_if(out, [](const Binding* binding) { return !binding->reachable; });
  return out;
}

bool LocationService::set_reachable(std::uint64_t id, bool reachable,
                                    std::optional<base::Duration> round_trip) {
  Binding* binding = find_by_id(id);
  if (!binding) return false;
  binding->reachable = reachable;
  if (round_trip) binding->round_trip = round_trip;
  return true;
}

std::vector<storage::ContactBinding> LocationService::expire(storage::UnixSeconds now) {
  std::vector<storage::ContactBinding> gone;
  for (auto it = by_extension_.begin(); it != by_extension_.end();) {
    std::erase_if(it->second, [&](Binding& binding) {
      if (binding.record.expires_at > now) return false;
      forget(binding);
      gone.push_back(std::move(binding.record));
      return true;
    });
    it = it->second.empty() ? by_extension_.erase(it) : std::next(it);
  }
  return gone;
}

std::vector<const Binding*> LocationService::all() const {
  std::vector<const Binding*> out;
  for (const auto& [id, list] : by_extension_) {
    for (const Binding& binding : list) out.push_back(&binding);
  }
  return out;
}

std::vector<Binding*> LocationService::all_mutable() {
  std::vector<Binding*> out;
  for (auto& [id, list] : by_extension_) {
    for (Binding& binding : list) out.push_back(&binding);
  }
  return out;
}

}  // namespace kolokol::registrar
