#include "sip/transport/connection_table.h"

#include <algorithm>

#include "sip/transport/ip_address.h"

namespace kolokol::sip {

ConnectionTable::ConnectionTable(std::pmr::memory_resource* memory)
    : memory_(memory), by_id_(memory), by_destination_(memory) {}

std::pmr::string ConnectionTable::key(const Endpoint& endpoint, std::pmr::memory_resource* memory) {
  std::pmr::string out(transport_name(endpoint.transport), memory);
  out += ' ';
  out += canonical_address(endpoint.address);
  out += ' ';
  out += std::to_string(endpoint.port);
  return out;
}

void ConnectionTable::add(std::shared_ptr<StreamConnection> connection) {
  const ConnectionId id = connection->id();
  const Endpoint remote = connection->remote();
  auto entry =
      by_id_.try_emplace(id, Entry{nullptr, std::pmr::vector<std::pmr::string>(memory_)}).first;
  entry->second.connection = std::move(connection);
  alias(*entry->second.connection, remote);
}

void ConnectionTable::alias(const StreamConnection& connection, const Endpoint& destination) {
  auto entry = by_id_.find(connection.id());
  if (entry == by_id_.end()) return;
  std::pmr::string k = key(destination, memory_);
  auto& keys = entry->second.keys;
  if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  by_destination_[std::move(k)] = connection.id();
}

void ConnectionTable::remove(ConnectionId id) {
  auto entry = by_id_.find(id);
  if (entry == by_id_.end()) return;
  for (const auto& k : entry->second.keys) {
    auto mapped = by_destination_.find(k);
    if (mapped != by_destination_.end() && mapped->second == id) by_destination_.erase(mapped);
  }
  by_id_.erase(entry);
  if (by_id_.empty()) {
    // The bucket arrays never shrink by themselves: a burst of connections would keep them at
    // its peak size (8 bytes per connection each) for good.
    by_id_ = decltype(by_id_)(memory_);
    by_destination_ = decltype(by_destination_)(memory_);
  }
}

StreamConnection* ConnectionTable::find(ConnectionId id) const {
  auto entry = by_id_.find(id);
  return entry == by_id_.end() ? nullptr : entry->second.connection.get();
}

StreamConnection* ConnectionTable::find(const Endpoint& destination) const {
  // A lookup key lives only for this call: the default heap is fine for it.
  auto mapped = by_destination_.find(key(destination, std::pmr::get_default_resource()));
  return mapped == by_destination_.end() ? nullptr : find(mapped->second);
}

std::vector<std::shared_ptr<StreamConnection>> ConnectionTable::all() const {
  std::vector<std::shared_ptr<StreamConnection>> out;
  out.reserve(by_id_.size());
  for (const auto& [id, entry] : by_id_) out.push_back(entry.connection);
  return out;
}

}  // namespace kolokol::sip
