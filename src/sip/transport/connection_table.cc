#include "sip/transport/connection_table.h"

#include <algorithm>

#include "sip/transport/ip_address.h"

namespace kolokol::sip {

std::string ConnectionTable::key(const Endpoint& endpoint) {
  std::string out(transport_name(endpoint.transport));
  out += ' ';
  out += canonical_address(endpoint.address);
  out += ' ';
  out += std::to_string(endpoint.port);
  return out;
}

void ConnectionTable::add(std::shared_ptr<StreamConnection> connection) {
  const ConnectionId id = connection->id();
  const Endpoint remote = connection->remote();
  by_id_[id] = Entry{std::move(connection), {}};
  alias(*by_id_[id].connection, remote);
}

void ConnectionTable::alias(const StreamConnection& connection, const Endpoint& destination) {
  auto entry = by_id_.find(connection.id());
  if (entry == by_id_.end()) return;
  std::string k = key(destination);
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
}

StreamConnection* ConnectionTable::find(ConnectionId id) const {
  auto entry = by_id_.find(id);
  return entry == by_id_.end() ? nullptr : entry->second.connection.get();
}

StreamConnection* ConnectionTable::find(const Endpoint& destination) const {
  auto mapped = by_destination_.find(key(destination));
  return mapped == by_destination_.end() ? nullptr : find(mapped->second);
}

std::vector<std::shared_ptr<StreamConnection>> ConnectionTable::all() const {
  std::vector<std::shared_ptr<StreamConnection>> out;
  out.reserve(by_id_.size());
  for (const auto& [id, entry] : by_id_) out.push_back(entry.connection);
  return out;
}

}  // namespace kolokol::sip
