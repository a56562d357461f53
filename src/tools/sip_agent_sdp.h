#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sdp/capabilities.h"

namespace kolokol::tools {

// Offers and answers for the agent's (media-less) calls: G.711 plus telephone-event on a port
// that changes per session. Uses the RFC 3264 engine of src/sdp.
class AgentSdp {
 public:
  explicit AgentSdp(std::string address);

  std::string offer();
  // Empty when the offer is unparseable or has nothing in common with us (488).
  std::optional<std::string> answer(std::string_view offer);

 private:
  sdp::LocalCapabilities capabilities();

  std::string address_;
  unsigned next_port_ = 40000;
};

}  // namespace kolokol::tools
