#include "config/cross_checks.h"

#include <fstream>
#include <map>

#include "config/value_parsers.h"

namespace kolokol::config {
namespace {

bool is_wildcard(const std::string& address) {
  return address == "0.0.0.0" || address == "::";
}

std::string describe(const SipListener& listener) {
  const bool v6 = is_ipv6_literal(listener.address);
  return std::string(to_string(listener.transport)) + " " + (v6 ? "[" : "") + listener.address +
         (v6 ? "]" : "") + ":" + std::to_string(listener.port);
}

void check_listeners(const Config& config, Diagnostics& diagnostics) {
  const auto& listeners = config.sip.listen;
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const auto& a = listeners[j];
      const auto& b = listeners[i];
      if (a.transport != b.transport || a.port != b.port) continue;
      const std::string key = "sip.listen[" + std::to_string(i) + "]";
      const int line = diagnostics.line_of(key);
      if (a.address == b.address) {
        diagnostics.invalid_at_line(line, key,
                                    "duplicate listener " + describe(b) + " (same as sip.listen[" +
                                        std::to_string(j) + "])");
      } else if (is_ipv6_literal(a.address) == is_ipv6_literal(b.address) &&
                 (is_wildcard(a.address) || is_wildcard(b.address))) {
        diagnostics.invalid_at_line(line, key,
                                    "listener " + describe(b) + " overlaps sip.listen[" +
                                        std::to_string(j) + "] " + describe(a) +
                                        " (a wildcard address already covers it)");
      }
    }
  }
}

void check_readable(const std::string& path, const std::string& key, Diagnostics& diagnostics) {
  if (path.empty()) return;
  std::ifstream file(path);
  if (!file)
    diagnostics.invalid_at_line(diagnostics.line_of(key), key, "cannot read '" + path + "'");
}

// Where a key sits, for messages that name two places: "tenants[0].name, line 3".
std::string place(const std::string& key, const Diagnostics& diagnostics) {
  const int line = diagnostics.line_of(key);
  return line > 0 ? key + ", line " + std::to_string(line) : key;
}

// `shorter` <= `longer`, both durations. Reported at `longer` when the file sets it, else at
// `shorter` (the defaults are in order, so the file sets one of them).
void check_order(const std::string& shorter_key, std::chrono::seconds shorter,
                 const std::string& longer_key, std::chrono::seconds longer,
                 Diagnostics& diagnostics) {
  if (shorter <= longer) return;
  auto value = [&](const std::string& key, std::chrono::seconds v) {
    return format_duration(v) + (diagnostics.line_of(key) > 0 ? "" : ", its default");
  };
  if (diagnostics.line_of(longer_key) > 0 || diagnostics.line_of(shorter_key) == 0) {
    diagnostics.invalid_at_line(
        diagnostics.line_of(longer_key), longer_key,
        "must not be shorter than " + shorter_key + " (" + value(shorter_key, shorter) + ")");
  } else {
    diagnostics.invalid_at_line(
        diagnostics.line_of(shorter_key), shorter_key,
        "must not be longer than " + longer_key + " (" + value(longer_key, longer) + ")");
  }
}

void check_registrar(const RegistrarSettings& registrar, Diagnostics& diagnostics) {
  check_order("registrar.min_expires", registrar.min_expires, "registrar.max_expires",
              registrar.max_expires, diagnostics);
  // With min > max every default is wrong at one end: that one error says enough.
  if (registrar.min_expires > registrar.max_expires) return;
  check_order("registrar.min_expires", registrar.min_expires, "registrar.default_expires",
              registrar.default_expires, diagnostics);
  check_order("registrar.default_expires", registrar.default_expires, "registrar.max_expires",
              registrar.max_expires, diagnostics);
}

// Tenant names are unique, extension numbers unique within a tenant, and a domain routes to one
// tenant only: the database would refuse the first two halfway through the start, and the
// third would make calls to that domain land in whichever tenant was loaded last.
void check_tenants(const std::vector<TenantDecl>& tenants, Diagnostics& diagnostics) {
  std::map<std::string, std::string> names;  // name -> key of its first declaration
  struct Claim {
    std::string tenant;
    std::string key;
  };
  std::map<std::string, Claim> domains;  // domain -> where it was first declared
  for (std::size_t i = 0; i < tenants.size(); ++i) {
    const TenantDecl& tenant = tenants[i];
    const std::string prefix = "tenants[" + std::to_string(i) + "]";
    const std::string name_key = prefix + ".name";
    if (auto [it, added] = names.emplace(tenant.name, name_key); !added) {
      diagnostics.invalid_at_line(diagnostics.line_of(name_key), name_key,
                                  "duplicate tenant name '" + tenant.name + "' (also " +
                                      place(it->second, diagnostics) + ")");
    }
    for (std::size_t j = 0; j < tenant.domains.size(); ++j) {
      const std::string key = prefix + ".domains[" + std::to_string(j) + "]";
      auto [it, added] = domains.emplace(tenant.domains[j], Claim{tenant.name, key});
      if (added) continue;
      const std::string first = place(it->second.key, diagnostics);
      diagnostics.invalid_at_line(
          diagnostics.line_of(key), key,
          "domain '" + tenant.domains[j] + "' " +
              (it->second.tenant == tenant.name
                   ? "is listed twice (also " + first + ")"
                   : "is already claimed by tenant '" + it->second.tenant + "' (" + first + ")"));
    }
    std::map<std::string, std::string> numbers;
    for (std::size_t j = 0; j < tenant.extensions.size(); ++j) {
      const std::string key = prefix + ".extensions[" + std::to_string(j) + "].number";
      auto [it, added] = numbers.emplace(tenant.extensions[j].number, key);
      if (added) continue;
      diagnostics.invalid_at_line(diagnostics.line_of(key), key,
                                  "duplicate extension " + tenant.extensions[j].number +
                                      " in tenant '" + tenant.name + "' (also " +
                                      place(it->second, diagnostics) + ")");
    }
  }
}

}  // namespace

void check_across_keys(const Config& config, Diagnostics& diagnostics) {
  check_listeners(config, diagnostics);
  if (config.sip.timers.t2 < config.sip.timers.t1) {
    diagnostics.invalid_at_line(
        diagnostics.line_of("sip.timers.t2"), "sip.timers.t2",
        "must not be shorter than sip.timers.t1 (" + format_duration(config.sip.timers.t1) + ")");
  }
  const auto& tls = config.sip.tls;
  if (tls.certificate.empty() != tls.private_key.empty()) {
    const std::string missing =
        tls.certificate.empty() ? "sip.tls.certificate" : "sip.tls.private_key";
    const std::string given =
        tls.certificate.empty() ? "sip.tls.private_key" : "sip.tls.certificate";
    diagnostics.invalid_at_line(diagnostics.line_of(given), missing,
                                "must be set together with " + given);
  } else {
    check_readable(tls.certificate, "sip.tls.certificate", diagnostics);
    check_readable(tls.private_key, "sip.tls.private_key", diagnostics);
  }
  check_registrar(config.registrar, diagnostics);
  if (config.media.rtp_port_max < config.media.rtp_port_min + 4) {
    diagnostics.invalid_at_line(diagnostics.line_of("media.rtp_port_max"), "media.rtp_port_max",
                                "must be at least 4 above media.rtp_port_min (" +
                                    std::to_string(config.media.rtp_port_min) +
                                    "): a call needs two RTP/RTCP port pairs");
  }
  check_tenants(config.tenants, diagnostics);
}

}  // namespace kolokol::config
