#include "config/schema.h"

#include <algorithm>
#include <set>

#include "config/diagnostics.h"
#include "config/suggest.h"
#include "config/tenant_schema.h"
#include "config/value_parsers.h"

namespace kolokol::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

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
  return [max_length](const std::string& text) { return parse_text(text, max_length); };
}

// A setting kept in whole seconds, within [min, max]; with zero_disables, 0s is accepted too
// (it switches the feature off).
auto seconds_in(seconds min, seconds max, bool zero_disables = false) {
  return [=](const std::string& text) -> base::Expected<seconds, std::string> {
    auto value = parse_seconds(text);
    if (!value) return value;
    if (zero_disables && value->count() == 0) return value;
    if (*value < min || *value > max) {
      return base::unexpected(std::string("must be ") + (zero_disables ? "0s (off) or " : "") +
                              "between " + format_duration(min) + " and " + format_duration(max) +
                              ", got '" + text + "'");
    }
    return value;
  };
}

auto count_in(std::int64_t min, std::int64_t max) {
  return [=](const std::string& text) -> base::Expected<std::size_t, std::string> {
    auto value = parse_integer(text, min, max);
    if (!value) return base::unexpected(value.error());
    return static_cast<std::size_t>(*value);
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

void apply_digest_algorithms(const YAML::Node& node, const std::string& key, Config& config,
                             Diagnostics& diagnostics) {
  if (!node.IsSequence() || node.size() == 0) {
    return diagnostics.invalid(node, key, "expected a non-empty list of sha-256, md5");
  }
  std::vector<std::string> algorithms;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    auto text = diagnostics.scalar(node[i], item_key, "sha-256 or md5");
    if (!text) continue;
    if (*text != "sha-256" && *text != "md5") {
      diagnostics.invalid(node[i], item_key, "expected sha-256 or md5, got '" + *text + "'");
      continue;
    }
    if (std::find(algorithms.begin(), algorithms.end(), *text) != algorithms.end()) {
      diagnostics.invalid(node[i], item_key, "listed twice");
      continue;
    }
    algorithms.push_back(*text);
  }
  config.security.digest_algorithms = std::move(algorithms);
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
  return {"sip", "sip.tls",  "sip.timers", "http",     "http.listen", "database",
          "log", "shutdown", "registrar",  "security", "calls",       "media"};
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
       scalar("an integer", count_in(1, 1'000'000),
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
       "Directory for everything kolokold writes: the database `kolokol.db` (unless "
       "`database.url` names another file), generated TLS keys and `credentials.txt` (the "
       "passwords kolokold made up). Created at start when missing. Relative paths are relative "
       "to the working directory. The command-line option `--data-dir` overrides it.",
       false,
       scalar("a directory path", path_text(),
              [](Config& c) -> std::string& { return c.data_dir; })},
      {"database.url", "database URL", "(empty: SQLite file `<data_dir>/kolokol.db`)",
       "Where tenants, extensions, registrations and call records are kept. Empty: the SQLite "
       "file `kolokol.db` in `data_dir`. `sqlite:<path>` names another SQLite file, e.g. "
       "`sqlite:/var/lib/kolokol/pbx.db` (a relative path is relative to the working directory; "
       "the file is created when missing). Only sqlite: URLs are supported until the PostgreSQL "
       "backend exists.",
       false,
       scalar("a database URL", parse_database_url,
              [](Config& c) -> std::string& { return c.database.url; })},
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
      {"registrar.min_expires", "duration (whole seconds)",
       format_duration(d.registrar.min_expires),
       "Shortest registration a phone may ask for: a REGISTER asking for less (other than 0, "
       "which unregisters) is answered 423 Interval Too Brief with a Min-Expires header (RFC 3261 "
       "10.3). Between 1s and 1h, and not longer than `registrar.default_expires`.",
       false,
       scalar("a duration", seconds_in(seconds(1), std::chrono::hours(1)),
              [](Config& c) -> seconds& { return c.registrar.min_expires; })},
      {"registrar.max_expires", "duration (whole seconds)",
       format_duration(d.registrar.max_expires),
       "Longest registration granted: a phone asking for more is granted this much (the 200 OK "
       "says so). Not shorter than `registrar.min_expires`; at most 168h (7 days).",
       false,
       scalar("a duration", seconds_in(seconds(1), std::chrono::hours(168)),
              [](Config& c) -> seconds& { return c.registrar.max_expires; })},
      {"registrar.default_expires", "duration (whole seconds)",
       format_duration(d.registrar.default_expires),
       "Registration time granted when a REGISTER names none (no Expires header and no expires "
       "contact parameter). Between `registrar.min_expires` and `registrar.max_expires`.",
       false,
       scalar("a duration", seconds_in(seconds(1), std::chrono::hours(168)),
              [](Config& c) -> seconds& { return c.registrar.default_expires; })},
      {"registrar.max_contacts", "integer", std::to_string(d.registrar.max_contacts),
       "Most contacts (phones) registered to one extension at once. One more replaces the "
       "contact closest to expiring, so a phone that comes back from a new address is never "
       "locked out. Between 1 and 100.",
       false,
       scalar("an integer", count_in(1, 100),
              [](Config& c) -> std::size_t& { return c.registrar.max_contacts; })},
      {"registrar.qualify_interval", "duration (whole seconds)",
       format_duration(d.registrar.qualify_interval),
       "How often every registered contact is sent an OPTIONS request; a contact that does not "
       "answer is marked unreachable and calls skip it until it answers again. 0s: contacts are "
       "not probed. Otherwise between 5s and 1h.",
       false,
       scalar("a duration", seconds_in(seconds(5), std::chrono::hours(1), true),
              [](Config& c) -> seconds& { return c.registrar.qualify_interval; })},
      {"security.auth_failures", "integer", std::to_string(d.security.auth_failures),
       "Brute-force protection: an address (for IPv6 its /64) whose requests fail digest "
       "authentication this many times within `security.auth_failure_window` is banned for "
       "`security.auth_ban_time`: its "
       "requests that need authentication are refused without checking a password. Other "
       "addresses are not affected, and a success does not lift a ban. Between 1 and 1000.",
       false,
       scalar("an integer", count_in(1, 1000),
              [](Config& c) -> std::size_t& { return c.security.auth_failures; })},
      {"security.auth_failure_window", "duration (whole seconds)",
       format_duration(d.security.auth_failure_window),
       "The sliding window in which `security.auth_failures` failed authentications ban an "
       "address. Between 1s and 1h.",
       false,
       scalar("a duration", seconds_in(seconds(1), std::chrono::hours(1)),
              [](Config& c) -> seconds& { return c.security.auth_failure_window; })},
      {"security.auth_ban_time", "duration (whole seconds)",
       format_duration(d.security.auth_ban_time),
       "How long a banned address stays banned. Between 1s and 168h (7 days).", false,
       scalar("a duration", seconds_in(seconds(1), std::chrono::hours(168)),
              [](Config& c) -> seconds& { return c.security.auth_ban_time; })},
      {"security.digest_algorithms", "list of: sha-256, md5", "[md5, sha-256]",
       "The digest challenges a 401 or 407 offers, in this order (RFC 8760: the preferred one "
       "first). MD5 comes first by default because many phones, and sipp, read only the first "
       "challenge and know nothing but MD5; where every phone supports SHA-256 (RFC 8760), "
       "`[sha-256, md5]` or `[sha-256]` is stronger.",
       false, apply_digest_algorithms},
      {"calls.ring_timeout", "duration (whole seconds)", format_duration(d.calls.ring_timeout),
       "How long a call may ring unanswered; then the caller is answered 480 and the call record "
       "says no answer. Between 5s and 10m.",
       false,
       scalar("a duration", seconds_in(seconds(5), std::chrono::minutes(10)),
              [](Config& c) -> seconds& { return c.calls.ring_timeout; })},
      {"calls.session_expires", "duration (whole seconds)",
       format_duration(d.calls.session_expires),
       "RFC 4028 session timer run on both legs of every call: the session is refreshed within "
       "this interval, and a call whose caller or callee vanished without a BYE ends when it "
       "lapses. 0s: a session timer runs only when a phone asks for one. Otherwise between 90s "
       "(the RFC 4028 Min-SE) and 24h.",
       false,
       scalar("a duration", seconds_in(seconds(90), std::chrono::hours(24), true),
              [](Config& c) -> seconds& { return c.calls.session_expires; })},
      {"media.anchor", "boolean", d.media.anchor ? "true" : "false",
       "Relay the audio of every call through the PBX (the default): each phone sends RTP to "
       "the PBX, which forwards it to the other party without decoding. Phones behind NAT then "
       "work without STUN, the call record gets packet loss and jitter of each leg, and neither "
       "party learns the other's address. false: the PBX passes the SDP through unchanged and "
       "the phones send media to each other.",
       false,
       scalar("true or false", parse_bool, [](Config& c) -> bool& { return c.media.anchor; })},
      {"media.address", "IP address", d.media.address,
       "Where RTP sockets are bound. `::` (the default) is every IPv4 and IPv6 address (every "
       "IPv4 address on a host without IPv6); a specific address binds only that one and is "
       "also what SDP then advertises.",
       false,
       scalar("an IP address", parse_ip_address,
              [](Config& c) -> std::string& { return c.media.address; })},
      {"media.advertised_address", "IP address", "(empty)",
       "The address written into SDP for phones to send media to, e.g. the public address of a "
       "PBX behind a 1:1 NAT. Empty: per call leg, the local address the kernel uses to reach "
       "that phone.",
       false,
       scalar(
           "an IP address",
           [](const std::string& text) -> base::Expected<std::string, std::string> {
             if (text.empty()) return text;
             return parse_ip_address(text);
           },
           [](Config& c) -> std::string& { return c.media.advertised_address; })},
      {"media.rtp_port_min", "port", std::to_string(d.media.rtp_port_min),
       "Lowest UDP port for RTP. Each anchored call takes four ports (an RTP and an RTCP port "
       "per leg), so the default range of 10000-20000 holds 2,500 calls; open it in the "
       "firewall.",
       false,
       scalar("a port number", parse_port,
              [](Config& c) -> std::uint16_t& { return c.media.rtp_port_min; })},
      {"media.rtp_port_max", "port", std::to_string(d.media.rtp_port_max),
       "Highest UDP port for RTP; at least 4 above `media.rtp_port_min`.", false,
       scalar("a port number", parse_port,
              [](Config& c) -> std::uint16_t& { return c.media.rtp_port_max; })},
      {"media.workers", "integer", std::to_string(d.media.workers),
       "Media threads relaying RTP (both legs of a call are always on the same one). 0: one per "
       "two CPU cores, at least one. At most 64.",
       false,
       scalar("an integer", count_in(0, 64),
              [](Config& c) -> std::size_t& { return c.media.workers; })},
      {"media.rtp_timeout", "duration (whole seconds)", format_duration(d.media.rtp_timeout),
       "An answered call whose caller or callee sends no RTP for this long is ended (BYE to "
       "both; the call record says `rtp-timeout`). A leg on hold is not expected to send and "
       "never times out. 0s: never. Otherwise between 5s and 1h.",
       false,
       scalar("a duration", seconds_in(seconds(5), std::chrono::hours(1), true),
              [](Config& c) -> seconds& { return c.media.rtp_timeout; })},
      {"media.inband_dtmf", "boolean", d.media.inband_dtmf ? "true" : "false",
       "Also detect key presses sent as DTMF tones inside the audio (phones and gateways that "
       "do not send RFC 4733 events). Costs a decode of every packet of every anchored call; "
       "RFC 4733 events are always detected. A key sent both ways counts once.",
       false,
       scalar("true or false", parse_bool, [](Config& c) -> bool& { return c.media.inband_dtmf; })},
      {"media.record_calls", "boolean", d.media.record_calls ? "true" : "false",
       "Record every answered anchored call in stereo (caller left, callee right) into "
       "`media.recording_dir`; the call record names the file. Files are written by one writer "
       "thread and stay playable if kolokold is killed: a WAV header is brought up to date "
       "every 2 s and Ogg and MP3 are readable up to their last page or frame, so at most the "
       "last 2 s are lost.",
       false,
       scalar("true or false", parse_bool,
              [](Config& c) -> bool& { return c.media.record_calls; })},
      {"media.recording_dir", "path", "(empty)",
       "Where recordings are written, one file per call named `<YYYYMMDD>-<call id>.<format>`. "
       "Empty: `<data_dir>/recordings`. Created at start when missing.",
       false,
       scalar("a path", optional_path_text(),
              [](Config& c) -> std::string& { return c.media.recording_dir; })},
      {"media.recording_format", "one of: wav, opus, mp3", d.media.recording_format,
       "File format of recordings: `wav` (16-bit PCM, 8 kHz, 32 KiB/s), `opus` (Ogg Opus, about "
       "4 KiB/s) or `mp3` (about 4 KiB/s).",
       false,
       scalar(
           "wav, opus or mp3",
           [](const std::string& text) -> base::Expected<std::string, std::string> {
             if (text == "wav" || text == "opus" || text == "mp3") return text;
             return base::unexpected("must be wav, opus or mp3, got '" + text + "'");
           },
           [](Config& c) -> std::string& { return c.media.recording_format; })},
      {"demo_tenant", "boolean", d.demo_tenant ? "true" : "false",
       "On the very first start (no tenant in the database yet) and when `tenants` declares "
       "none, create the tenant `default` with extensions 1001 to 1005 and random passwords, "
       "which are logged and written to `<data_dir>/credentials.txt`. false: no demo tenant is "
       "created.",
       false,
       scalar("true or false", parse_bool, [](Config& c) -> bool& { return c.demo_tenant; })},
      {"tenants", "list of tenants", "[]",
       "Configuration as code: tenants (companies) and their extensions, created at every start "
       "when missing and brought in line with the file when they exist. Each entry is a map: "
       "`name` (required; 1 to 63 of a-z, 0-9 and `-`; unique), `domains` (the host names or IP "
       "addresses the tenant answers for; the first is its digest realm, fixed when the tenant "
       "is created; a domain belongs to one tenant only) and `extensions`, a list of maps: "
       "`number` (required; 2 to 15 digits, unique within the tenant), `name` (display name, at "
       "most 100 characters) and `password` (8 to 128 printable ASCII characters). A password "
       "given here is applied on every start, replacing one changed elsewhere since; without "
       "one, an existing extension keeps its password and a new one gets a random password, "
       "logged and written to `<data_dir>/credentials.txt`. Tenants and extensions left out of "
       "the file are kept, not deleted. A file with passwords holds secrets: make it readable "
       "by the kolokold user only (mode 0600).",
       false, apply_tenants},
  };
}

}  // namespace kolokol::config
