#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "base/clock.h"
#include "sip/msg/uri.h"
#include "sip/transport/endpoint.h"
#include "storage/model.h"

namespace kolokol::registrar {

// One registered contact with what sending to it needs.
struct Binding {
  storage::ContactBinding record;
  // The Contact URI (the Request-URI towards the phone), parsed from record.contact when asked
  // (checked parseable when the binding was made): a parsed copy cost 300 bytes per binding,
  // 30 MiB at 100,000 contacts.
  sip::Uri uri() const;
  // Where the REGISTER came from (the flow back to the phone, NAT) and the listener it arrived
  // on, read from record.received and record.local like uri().
  sip::Endpoint destination() const;
  sip::Endpoint local() const;
  // Unique in its LocationService, kept across refreshes: lets an OPTIONS result find the
  // binding it was sent for (and not a later one with the same URI).
  std::uint64_t id = 0;
  std::uint64_t sequence = 0;  // registration order: higher was registered or refreshed later

  // Qualify state (Qualifier): reachable until an OPTIONS goes unanswered.
  bool reachable = true;
  std::optional<base::Duration> round_trip;  // of the last answered OPTIONS
  base::TimePoint next_qualify{};            // when the next OPTIONS is due
  bool qualify_scheduled = false;            // next_qualify has been set
  bool qualify_pending = false;              // an OPTIONS is outstanding
};

// The location service (RFC 3261 10.3): registered contacts per extension, in memory on the SIP
// thread. It does no I/O: the registrar and the qualifier report every change for persistence.
// Pointers it hands out stay valid until the next change of the same extension's bindings.
class LocationService {
 public:
  // Restores saved bindings, skipping expired and unreadable ones. Returns how many were kept.
  std::size_t load(std::vector<storage::ContactBinding> bindings, storage::UnixSeconds now);

  // Parses what sending needs (contact URI, received and local endpoints); empty when a field
  // does not parse.
  static std::optional<Binding> parse(storage::ContactBinding record);

  // Adds, or refreshes the binding with the same extension and an equivalent Contact URI
  // (RFC 3261 19.1.4): a refresh keeps id, reachability and qualify schedule, and marks the
  // contact reachable (the REGISTER just came over its flow). nullptr when the record does not
  // parse.
  const Binding* upsert(storage::ContactBinding record);
  const Binding* upsert(Binding binding);
  // Removes one binding; the removed record, if there was one.
  std::optional<storage::ContactBinding> remove(storage::RowId extension_id,
                                                const sip::Uri& contact);
  // Removes every binding of the extension and returns them.
  std::vector<storage::ContactBinding> remove_all(storage::RowId extension_id);

  Binding* find(storage::RowId extension_id, const sip::Uri& contact);
  const Binding* find(storage::RowId extension_id, const sip::Uri& contact) const;
  Binding* find_by_id(std::uint64_t id);

  // Unexpired contacts, highest q first, then the most recently registered.
  std::vector<const Binding*> contacts(storage::RowId extension_id, storage::UnixSeconds now) const;
  // The same without those whose last OPTIONS went unanswered.
  std::vector<const Binding*> reachable_contacts(storage::RowId extension_id,
                                                 storage::UnixSeconds now) const;
  // Records a qualify result; false when the binding is gone. round_trip only when answered.
  bool set_reachable(std::uint64_t id, bool reachable,
                     std::optional<base::Duration> round_trip = std::nullopt);

  // Removes bindings expired at `now` and returns them.
  std::vector<storage::ContactBinding> expire(storage::UnixSeconds now);
  // Every binding (expired ones not yet removed included), by extension id.
  std::vector<const Binding*> all() const;
  std::vector<Binding*> all_mutable();
  std::size_t size() const { return by_id_.size(); }

 private:
  void forget(const Binding& binding) { by_id_.erase(binding.id); }

  std::map<storage::RowId, std::vector<Binding>> by_extension_;
  std::map<std::uint64_t, storage::RowId> by_id_;  // binding id -> extension id
  std::uint64_t next_id_ = 1;
  std::uint64_t next_sequence_ = 1;
};

}  // namespace kolokol::registrar
