#include "config/cross_checks.h"

#include <fstream>

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
}

}  // namespace kolokol::config
