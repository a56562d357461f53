#include "directory/local_hosts.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

namespace kolokol::directory {
namespace {

void add_unique(std::vector<std::string>& out, std::string value) {
  if (value.empty()) return;
  if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(std::move(value));
}

}  // namespace

std::vector<std::string> local_host_addresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  // Failure (no interfaces readable) leaves only the host name: the caller still has the
  // addresses it listens on explicitly.
  if (::getifaddrs(&list) == 0) {
    for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
      if (entry->ifa_addr == nullptr) continue;
      char text[INET6_ADDRSTRLEN] = {};
      if (entry->ifa_addr->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr);
        if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text)) add_unique(out, text);
      } else if (entry->ifa_addr->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(entry->ifa_addr);
        if (::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text)) add_unique(out, text);
      }
    }
    ::freeifaddrs(list);
  }
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) == 0) add_unique(out, name);
  return out;
}

}  // namespace kolokol::directory
