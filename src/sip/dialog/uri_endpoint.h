#pragma once

#include <optional>

#include "sip/msg/name_addr.h"
#include "sip/msg/uri.h"
#include "sip/transport/endpoint.h"

namespace kolokol::sip {

// The transport address a SIP URI names when its host is an IP literal (RFC 3263 without DNS:
// transport= parameter, else TLS for sips, else fallback; port from the URI, else 5060/5061).
// Empty when the host is a domain name (the caller must resolve it).
std::optional<Endpoint> endpoint_from_uri(const Uri& uri, Transport fallback = Transport::Udp);

// A Contact naming a local endpoint: <sip:user@address:port;transport=tcp>.
NameAddr contact_for_endpoint(const Endpoint& local, std::string_view user = {});

}  // namespace kolokol::sip
