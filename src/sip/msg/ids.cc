#include "sip/msg/ids.h"

#include "sip/msg/via.h"

namespace kolokol::sip {

IdGenerator::IdGenerator()
    : rng_(std::random_device{}() ^ (std::uint64_t{std::random_device{}()} << 32)) {}

IdGenerator::IdGenerator(std::uint64_t seed) : rng_(seed) {}

std::string IdGenerator::token(std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out(length, '0');
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  for (char& c : out) c = kAlphabet[pick(rng_)];
  return out;
}

std::string IdGenerator::branch() {
  std::string out(kMagicCookie);
  out += token(16);
  return out;
}

std::string IdGenerator::tag() {
  return token(12);
}

std::string IdGenerator::call_id(std::string_view host) {
  std::string out = token(20);
  if (!host.empty()) {
    out += '@';
    out += host;
  }
  return out;
}

}  // namespace kolokol::sip
