#include "sip/transport/via_stamping.h"

#include <string>

#include "sip/transport/ip_address.h"

namespace kolokol::sip {

bool stamp_received_via(Message& request, const Endpoint& source) {
  const Via* top = request.top_via();
  if (top == nullptr) return false;
  const auto source_address = parse_ip_literal(source.address);
  if (!source_address) return false;

  const auto sent_by = parse_ip_literal(top->host);
  const bool host_differs = !sent_by || *sent_by != *source_address;
  const bool bare_rport = top->has_rport() && !top->rport().has_value();
  if (!host_differs && !top->has_rport()) return false;

  Via via = *top;
  bool changed = false;
  // received carries the bare address, IPv6 without brackets (RFC 3261 grammar: IPv6address).
  const std::string received = source_address->to_string();
  if (via.received() != std::optional<std::string_view>(received)) {
    set_param(via.params, "received", received);
    changed = true;
  }
  if (bare_rport) {
    set_param(via.params, "rport", std::to_string(source.port));
    changed = true;
  }
  if (changed) request.set_top_via(via);
  return changed;
}

}  // namespace kolokol::sip
