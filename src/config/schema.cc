#include "config/schema.h"

#include <set>

#include "config/diagnostics.h"
#include "config/suggest.h"
#include "config/value_parsers.h"

namespace kolokol::config {
namespace {

using std::chrono::milliseconds;

// A setter for a key holding one scalar: checks it is a scalar, parses it, stores it.
template <typename Parse, typename Field>
KeySpec::Apply scalar(std::string what, Parse parse, Field field) {
  return [what, parse, field](const YAML::Node& node, const std::string& key, Config& config,
                              Diagnostics& diagnostics) {
    auto text = diagnostics.scalar(node, key, what);
    if (!text) return;
    auto value = parse(*text);
    if (!value) return diagnostics.invalid(node, key, value.error());
    field(config) = std::move(*value);
  };
}

auto duration_in(milliseconds min, milliseconds max) {
  return [min, max](const std::string& text) -> base::Expected<milliseconds, std::string> {
    auto value = parse_duration(text);
    if (!value) return value;
    if (*value < min || *value > max) {
      return base::unexpected("must be between " + format_duration(min) + " and " +
                              format_duration(max) + ", got '" + text + "'");
    }
    return value;
  };
}

auto any_text(std::size_t max_length) {
  return [max_length](const std::string& text) -> base::Expected<std::string, std::string> {
    if (text.size() > max_length) {
      return base::unexpected("longer than " + std::to_string(max_length) + " characters");
    }
    for (unsigned char c : text) {
      // Values end up in log lines and SIP headers: control characters would forge new lines.
      if (c < 0x20 || c == 0x7f) return base::unexpected("contains a control character");
    }
    return text;
  };
}

auto path_text() {
  return [](const std::string& text) -> base::Expected<std::string, std::string> {
    if (text.empty()) return base::unexpected("must not be empty");
    if (text.find('\0') != std::string::npos) return base::unexpected("contains a NUL byte");
    return text;
  };
}

auto optional_path_text() {
  return [](const std::string& text) -> base::Expected<std::string, std::string> {
    if (text.find('\0') != std::string::npos) return base::unexpected("contains a NUL byte");
    return text;
  };
}

auto log_level() {
  return [](const std::string& text) -> base::Expected<std::string, std::string> {
    static constexpr const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
    for (const char* level : kLevels) {
      if (text == level) return text;
    }
    return base::unexpected("expected one of trace, debug, info, warn, error, off; got '" + text +
                            "'");
  };
}

base::Expected<SipTransport, std::string> parse_transport(const std::string& text) {
  if (text == "udp") return SipTransport::Udp;
  if (text == "tcp") return SipTransport::Tcp;
  if (text == "tls") return SipTransport::Tls;
  return base::unexpected("expected one of udp, tcp, tls; got '" + text + "'");
}

void apply_listener(const YAML::Node& item, const std::string& key, SipListener& listener,
                    Diagnostics& diagnostics) {
  if (!item.IsMap()) {
    return diagnostics.invalid(item, key,
                               "expected a map with transport, address and port, got " +
                                   std::string(item.IsSequence() ? "a list" : "a scalar"));
  }
  bool has_port = false;
  std::set<std::string> seen;
  for (const auto& entry : item) {
    const std::string name = entry.first.Scalar();
    const std::string sub_key = key + "." + name;
    diagnostics.remember(sub_key, entry.first);
    if (!seen.insert(name).second) {
      diagnostics.invalid(entry.first, sub_key, "duplicate key");
      continue;
    }
    const YAML::Node& value = entry.second;
    if (name == "transport") {
      if (auto text = diagnostics.scalar(value, sub_key, "udp, tcp or tls")) {
        auto transport = parse_transport(*text);
        if (!transport) {
          diagnostics.invalid(value, sub_key, transport.error());
        } else {
          listener.transport = *transport;
        }
      }
    } else if (name == "address") {
      if (auto text = diagnostics.scalar(value, sub_key, "an IP address")) {
        auto address = parse_ip_address(*text);
        if (!address) {
          diagnostics.invalid(value, sub_key, address.error());
        } else {
          listener.address = *address;
        }
      }
    } else if (name == "port") {
      if (auto text = diagnostics.scalar(value, sub_key, "a port number")) {
        auto port = parse_port(*text);
        if (!port) {
          diagnostics.invalid(value, sub_key, port.error());
        } else {
          listener.port = *port;
          has_port = true;
        }
      }
    } else {
      std::vector<std::string> candidates;
      for (const auto& known : listener_keys()) candidates.push_back(key + "." + known);
      diagnostics.unknown(entry.first, sub_key, closest_key(sub_key, candidates));
    }
  }
  if (!seen.count("transport")) {
    diagnostics.invalid(item, key + ".transport", "missing (udp, tcp or tls)");
  }
  if (!has_port) {
    listener.port = listener.transport == SipTransport::Tls ? 5061 : 5060;
  }
}

void apply_listeners(const YAML::Node& node, const std::string& key, Config& config,
                     Diagnostics& diagnostics) {
  if (!node.IsSequence()) {
    return diagnostics.invalid(node, key, "expected a list of {transport, address, port}");
  }
  if (node.size() == 0) {
    return diagnostics.invalid(node, key, "needs at least one listener");
  }
  config.sip.listen.clear();
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    diagnostics.remember(item_key, node[i]);
    SipListener listener;
    listener.address = "0.0.0.0";
    apply_listener(node[i], item_key, listener, diagnostics);
    config.sip.listen.push_back(listener);
  }
}

void apply_domains(const YAML::Node& node, const std::string& key, Config& config,
                   Diagnostics& diagnostics) {
  if (!node.IsSequence()) {
    return diagnostics.invalid(node, key, "expected a list of domain names");
  }
  config.sip.domains.clear();
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    auto text = diagnostics.scalar(node[i], item_key, "a domain name");
    if (!text) continue;
    auto host = parse_host(*text);
    if (!host) {
      diagnostics.invalid(node[i], item_key, host.error());
      continue;
    }
    config.sip.domains.push_back(*host);
  }
}

std::string default_listeners_text() {
  return "udp and tcp on 0.0.0.0:5060, tls on 0.0.0.0:5061; when the host has IPv6, the same "
         "three on [::] as well";
}

}  // namespace

std::vector<std::string> listener_keys() {
  return {"transport", "address", "port"};
}

std::vector<std::string> config_sections() {
  return {"sip", "sip.tls", "sip.timers", "http", "http.listen", "log", "shutdown"};
}

std::vector<KeySpec> config_schema() {
  const Config d = default_config({});
  const auto hours24 = milliseconds(std::chrono::hours(24));
  return {
      {"sip.listen", "list of listeners", default_listeners_text(),
       "Where SIP is received. Each entry is a map: `transport` (udp, tcp or tls; required), "
       "`address` (an IPv4 or IPv6 address, `0.0.0.0` or `::` for all; default `0.0.0.0`) and "
       "`port` (default 5060, 5061 for tls). A list in the file replaces the default list. The "
       "same transport, address and port may appear only once, and a wildcard address may not be "
       "combined with a specific address of the same family on the same transport and port.",
       false, apply_listeners},
      {"sip.advertised_host", "host name or IP address", "(empty)",
       "The host put in the Via sent-by of requests sent from a listener bound to a wildcard "
       "address (0.0.0.0 or ::), e.g. the public name or address of a host behind NAT. Empty: "
       "the local address the kernel uses to reach the destination. It is also the digest realm "
       "when `sip.domains` is empty.",
       false,
       scalar(
           "a host name or an IP address",
           [](const std::string& text) -> base::Expected<std::string, std::string> {
             if (text.empty()) return text;
             return parse_host(text);
           },
           [](Config& c) -> std::string& { return c.sip.advertised_host; })},
      {"sip.domains", "list of domain names", "[] (any host)",
       "The SIP domains this server is responsible for (request URIs with another host are not "
       "ours and are answered 404). Empty: requests for any host are accepted. The first domain "
       "is the realm of digest challenges (else `sip.advertised_host`, else the host name).",
       true, apply_domains},
      {"sip.tls.certificate", "path", "(empty: generated)",
       "PEM certificate chain for the tls listeners. Empty: a self-signed certificate (EC P-256, "
       "CN = the host name) is generated once as `<data_dir>/tls/sip-cert.pem` and "
       "`sip-key.pem` and reused. Set together with `sip.tls.private_key`. Relative "
       "paths are relative to the working directory. SIGHUP reads both files again (also when "
       "the paths did not change) for new connections; open connections keep theirs. If they "
       "cannot be read or do not match, the certificate in use stays.",
       true,
       scalar("a file path", optional_path_text(),
              [](Config& c) -> std::string& { return c.sip.tls.certificate; })},
      {"sip.tls.private_key", "path", "(empty: generated)",
       "PEM private key of `sip.tls.certificate`.", true,
       scalar("a file path", optional_path_text(),
              [](Config& c) -> std::string& { return c.sip.tls.private_key; })},
      {"sip.tcp_idle_timeout", "duration", format_duration(d.sip.tcp_idle_timeout),
       "A TCP or TLS connection that carries no data for this long is closed. Between 1s and 24h.",
       false,
       scalar("a duration", duration_in(milliseconds(1000), hours24),
              [](Config& c) -> milliseconds& { return c.sip.tcp_idle_timeout; })},
      {"sip.max_connections", "integer", std::to_string(d.sip.max_connections),
       "Most TCP and TLS connections open at once; further connections are refused. Between 1 "
       "and 1000000 (the file descriptor limit is raised to fit at start).",
       false,
       scalar(
           "an integer",
           [](const std::string& text) -> base::Expected<std::size_t, std::string> {
             auto value = parse_integer(text, 1, 1'000'000);
             if (!value) return base::unexpected(value.error());
             return static_cast<std::size_t>(*value);
           },
           [](Config& c) -> std::size_t& { return c.sip.max_connections; })},
      {"sip.timers.t1", "duration", format_duration(d.sip.timers.t1),
       "RFC 3261 T1, the round-trip time estimate that paces retransmissions and transaction "
       "timeouts (64*T1). Between 1ms and 1m.",
       false,
       scalar("a duration", duration_in(milliseconds(1), milliseconds(60'000)),
              [](Config& c) -> milliseconds& { return c.sip.timers.t1; })},
      {"sip.timers.t2", "duration", format_duration(d.sip.timers.t2),
       "RFC 3261 T2, the longest retransmit interval for non-INVITE requests and INVITE "
       "responses. Not shorter than T1; at most 1m.",
       false,
       scalar("a duration", duration_in(milliseconds(1), milliseconds(60'000)),
              [](Config& c) -> milliseconds& { return c.sip.timers.t2; })},
      {"sip.timers.t4", "duration", format_duration(d.sip.timers.t4),
       "RFC 3261 T4, the longest time a message stays in the network (timers I and K). Between "
       "0s and 1m.",
       false,
       scalar("a duration", duration_in(milliseconds(0), milliseconds(60'000)),
              [](Config& c) -> milliseconds& { return c.sip.timers.t4; })},
      {"sip.user_agent", "string", "Kolokol/<version>",
       "Sent as the User-Agent and Server header of the messages this server creates. Empty: no "
       "such header. At most 200 characters.",
       false,
       scalar("a string", any_text(200),
              [](Config& c) -> std::string& { return c.sip.user_agent; })},
      {"http.listen.address", "IP address", d.http.address,
       "Address of the HTTP server (health, metrics, later the REST API). Keep it on loopback "
       "unless a reverse proxy or firewall protects it.",
       false,
       scalar("an IP address", parse_ip_address,
              [](Config& c) -> std::string& { return c.http.address; })},
      {"http.listen.port", "port", std::to_string(d.http.port), "Port of the HTTP server.", false,
       scalar("a port number", parse_port,
              [](Config& c) -> std::uint16_t& { return c.http.port; })},
      {"http.max_body_size", "size", format_size(d.http.max_body_size),
       "Largest HTTP request body accepted; a larger one is answered 413. Between 1KiB and 1GiB.",
       false,
       scalar(
           "a size",
           [](const std::string& text) -> base::Expected<std::size_t, std::string> {
             auto value = parse_size(text);
             if (!value) return base::unexpected(value.error());
             if (*value < 1024 || *value > (1ull << 30)) {
               return base::unexpected("must be between 1KiB and 1GiB, got '" + text + "'");
             }
             return static_cast<std::size_t>(*value);
           },
           [](Config& c) -> std::size_t& { return c.http.max_body_size; })},
      {"http.read_timeout", "duration", format_duration(d.http.read_timeout),
       "An HTTP connection that does not deliver a complete request within this time is closed. "
       "Between 100ms and 1h.",
       false,
       scalar("a duration", duration_in(milliseconds(100), milliseconds(3'600'000)),
              [](Config& c) -> milliseconds& { return c.http.read_timeout; })},
      {"data_dir", "path", d.data_dir,
       "Directory for everything kolokold writes (generated TLS keys, later the database and "
       "recordings). Created at start when missing. Relative paths are relative to the working "
       "directory. The command-line option `--data-dir` overrides it.",
       false,
       scalar("a directory path", path_text(),
              [](Config& c) -> std::string& { return c.data_dir; })},
      {"log.level", "enum: trace, debug, info, warn, error, off", d.log.level,
       "Lowest level written to the log. The command-line option `--log-level` overrides it.", true,
       scalar("a log level", log_level(), [](Config& c) -> std::string& { return c.log.level; })},
      {"log.file", "path", "(empty: standard error only)",
       "Also append the log to this file. The log always goes to standard error (the journal "
       "under systemd).",
       false,
       scalar("a file path", optional_path_text(),
              [](Config& c) -> std::string& { return c.log.file; })},
      {"shutdown.drain_timeout", "duration", format_duration(d.shutdown.drain_timeout),
       "On SIGTERM or SIGINT, how long to wait for SIP transactions in progress to finish before "
       "exiting. New INVITEs are answered 503 meanwhile. Between 0s and 5m.",
       true,
       scalar("a duration", duration_in(milliseconds(0), milliseconds(300'000)),
              [](Config& c) -> milliseconds& { return c.shutdown.drain_timeout; })},
  };
}

}  // namespace kolokol::config
