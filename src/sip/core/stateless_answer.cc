#include "sip/core/stateless_answer.h"

#include <cstdint>
#include <string_view>

namespace kolokol::sip {
namespace {

// FNV-1a: the tag only has to be stable and spread well, not secret.
void mix(std::uint64_t& hash, std::string_view text) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  hash ^= 0xff;  // field separator, so ("ab","c") and ("a","bc") differ
  hash *= 1099511628211ULL;
}

}  // namespace

bool answered_statelessly(const Message& request) {
  if (!request.is_request() || request.method() != Method::Options) return false;
  const NameAddr* to = request.to();
  return to != nullptr && !to->tag() && !request.defect();
}

std::string stateless_to_tag(const Message& request) {
  std::uint64_t hash = 14695981039346656037ULL;
  mix(hash, request.call_id());
  if (const NameAddr* from = request.from(); from != nullptr && from->tag())
    mix(hash, *from->tag());
  if (const CSeq* cseq = request.cseq()) mix(hash, std::to_string(cseq->number));
  if (const Via* via = request.top_via(); via != nullptr && via->branch())
    mix(hash, *via->branch());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string tag = "sl";
  for (int shift = 60; shift >= 0; shift -= 4) tag += kHex[(hash >> shift) & 0xf];
  return tag;
}

}  // namespace kolokol::sip
