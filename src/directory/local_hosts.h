#pragma once

#include <string>
#include <vector>

namespace kolokol::directory {

// Every IPv4 and IPv6 address of this host's interfaces (canonical text, no brackets, no zone)
// and its host name, without duplicates: what a listener bound to a wildcard address is
// reachable as. Reads the interfaces at the time of the call.
std::vector<std::string> local_host_addresses();

}  // namespace kolokol::directory
