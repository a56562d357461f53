#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kolokol::sip {

// Remembers the highest nonce-count seen per nonce so a captured request cannot be replayed
// (RFC 7616 3.4: the server should reject a repeated nc). Bounded: least recently used nonces
// are forgotten, and a forgotten nonce must not become usable again, so the tracker keeps the
// highest issue serial (nonces are numbered as they are issued) among the forgotten ones; any
// untracked nonce with a serial at or below it is refused as Forgotten (the caller answers with
// a stale challenge and the client comes back with a newer nonce).
class NonceTracker {
 public:
  explicit NonceTracker(std::size_t capacity);

  enum class Result : std::uint8_t { Accepted, Replay, Forgotten };

  // Records nc for the nonce (issue number serial) when it is higher than any seen before.
  Result use(std::string_view nonce, std::uint64_t serial, std::uint32_t nc);

  std::size_t size() const { return order_.size(); }

 private:
  struct Entry {
    std::string nonce;
    std::uint64_t serial = 0;
    std::uint32_t highest_nc = 0;
  };
  using List = std::list<Entry>;

  void evict_oldest_use();

  std::size_t capacity_;
  List order_;                                                  // front: most recently used
  std::unordered_map<std::string_view, List::iterator> index_;  // keys view into order_
  std::optional<std::uint64_t> forgotten_up_to_;
};

}  // namespace kolokol::sip
