#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace kolokol::sip {

// RFC 3261 section 12: a dialog is identified by Call-ID, local tag and remote tag.
struct DialogId {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;

  bool operator==(const DialogId&) const = default;
  std::string to_string() const { return call_id + ";" + local_tag + ";" + remote_tag; }
};

struct DialogIdHash {
  std::size_t operator()(const DialogId& id) const {
    const std::hash<std::string> h;
    return h(id.call_id) ^ (h(id.local_tag) * 31) ^ (h(id.remote_tag) * 131);
  }
};

}  // namespace kolokol::sip
