#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace kolokol::sip {

// Generates the identifiers RFC 3261 wants globally unique and unguessable: branch parameters,
// From/To tags, Call-IDs. One generator per thread that needs it (it is not thread-safe).
class IdGenerator {
 public:
  IdGenerator();  // seeded from std::random_device
  explicit IdGenerator(std::uint64_t seed);

  std::string branch();                        // "z9hG4bK" + 16 random chars
  std::string tag();                           // 12 random chars
  std::string call_id(std::string_view host);  // 20 random chars "@" host (host may be empty)
  std::string token(std::size_t length);       // alphanumeric

 private:
  std::mt19937_64 rng_;
};

}  // namespace kolokol::sip
