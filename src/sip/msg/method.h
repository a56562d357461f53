#pragma once

#include <cstdint>
#include <string_view>

namespace kolokol::sip {

// Methods the stack knows by name. Anything else is Method::Other and keeps its text in the
// message (method_name()), so unknown methods pass through unchanged.
enum class Method : std::uint8_t {
  Other,
  Invite,
  Ack,
  Bye,
  Cancel,
  Options,
  Register,
  Prack,
  Update,
  Info,
  Subscribe,
  Notify,
  Refer,
  Message,
  Publish,
};

// Method names are case-sensitive (RFC 3261 section 7.1): "invite" is Method::Other.
Method method_from_name(std::string_view name);
std::string_view method_name(Method method);  // "" for Method::Other

}  // namespace kolokol::sip
