#pragma once

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <string>
#include <unordered_map>
#include <vector>

#include "sip/transport/endpoint.h"
#include "sip/transport/stream_connection.h"

namespace kolokol::sip {

// The open TCP/TLS connections, by id and by the transport addresses they reach: the peer's
// address:port and, for connections the peer opened, the sent-by it announces in its Via
// (connection reuse, so requests to that address go over the existing connection).
class ConnectionTable {
 public:
  // Entries come from memory (the layer passes its ConnectionArena); it must outlive the table.
  explicit ConnectionTable(std::pmr::memory_resource* memory = std::pmr::get_default_resource());

  void add(std::shared_ptr<StreamConnection> connection);
  // Makes the connection the one used for destination (it replaces an older mapping).
  void alias(const StreamConnection& connection, const Endpoint& destination);
  void remove(ConnectionId id);

  StreamConnection* find(ConnectionId id) const;
  StreamConnection* find(const Endpoint& destination) const;

  std::size_t size() const { return by_id_.size(); }
  std::vector<std::shared_ptr<StreamConnection>> all() const;

 private:
  static std::pmr::string key(const Endpoint& endpoint, std::pmr::memory_resource* memory);

  struct Entry {
    std::shared_ptr<StreamConnection> connection;
    std::pmr::vector<std::pmr::string> keys;
  };
  std::pmr::memory_resource* memory_;
  std::pmr::unordered_map<ConnectionId, Entry> by_id_;
  std::pmr::unordered_map<std::pmr::string, ConnectionId> by_destination_;
};

}  // namespace kolokol::sip
