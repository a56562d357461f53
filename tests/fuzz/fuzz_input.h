#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

// Hands out a fuzz input front to back, so a target can carve a sequence of operations from
// it; zeros once it runs dry.
class FuzzInput {
 public:
  explicit FuzzInput(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool empty() const { return bytes_.empty(); }
  std::uint8_t u8() {
    if (bytes_.empty()) return 0;
    const std::uint8_t value = bytes_.front();
    bytes_ = bytes_.subspan(1);
    return value;
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() << 8 | u8()); }
  std::uint32_t u32() { return std::uint32_t{u16()} << 16 | u16(); }
  std::span<const std::uint8_t> take(std::size_t n) {
    n = std::min(n, bytes_.size());
    const auto out = bytes_.first(n);
    bytes_ = bytes_.subspan(n);
    return out;
  }

 private:
  std::span<const std::uint8_t> bytes_;
};
