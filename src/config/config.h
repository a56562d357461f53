#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kolokol::config {

enum class SipTransport { Udp, Tcp, Tls };

std::string_view to_string(SipTransport transport);

struct SipListener {
  SipTransport transport = SipTransport::Udp;
  std::string address;  // numeric IPv4 or IPv6 literal, without brackets
  std::uint16_t port = 5060;

  bool operator==(const SipListener&) const = default;
};

struct SipTimers {
  std::chrono::milliseconds t1{500};
  std::chrono::milliseconds t2{4000};
  std::chrono::milliseconds t4{5000};

  bool operator==(const SipTimers&) const = default;
};

struct TlsFiles {
  // Empty: the transport generates a self-signed pair under <data_dir>/tls on first start.
  std::string certificate;
  std::string private_key;

  bool operator==(const TlsFiles&) const = default;
};

struct SipConfig {
  std::vector<SipListener> listen;
  std::string advertised_host;       // empty: the address of the listener a message leaves on
  std::vector<std::string> domains;  // empty: any address we listen on
  TlsFiles tls;
  std::chrono::milliseconds tcp_idle_timeout{std::chrono::minutes(5)};
  std::size_t max_connections = 16384;
  SipTimers timers;
  std::string user_agent;

  bool operator==(const SipConfig&) const = default;
};

struct HttpConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t max_body_size = 1024 * 1024;
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};

  bool operator==(const HttpConfig&) const = default;
};

struct LogConfig {
  std::string level = "info";
  std::string file;  // empty: stderr only

  bool operator==(const LogConfig&) const = default;
};

struct ShutdownConfig {
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(2)};

  bool operator==(const ShutdownConfig&) const = default;
};

struct DatabaseConfig {
  // Empty: SQLite in <data_dir>/kolokol.db. "sqlite:/path/file.db" names another SQLite file
  // (PostgreSQL URLs come with the data and API issue).
  std::string url;

  bool operator==(const DatabaseConfig&) const = default;
};

struct RegistrarSettings {
  std::chrono::seconds min_expires{60};
  std::chrono::seconds max_expires{3600};
  std::chrono::seconds default_expires{3600};
  std::size_t max_contacts = 10;              // per extension
  std::chrono::seconds qualify_interval{30};  // 0: no OPTIONS qualify

  bool operator==(const RegistrarSettings&) const = default;
};

struct SecuritySettings {
  // Brute-force protection: this many failed digest authentications from one address within
  // the window ban that address's authenticated requests for ban_time.
  std::size_t auth_failures = 10;
  std::chrono::seconds auth_failure_window{60};
  std::chrono::seconds auth_ban_time{300};
  // The digest challenges offered, in order ("md5", "sha-256"). MD5 first by default: many
  // phones (and sipp) read only the first challenge and know nothing but MD5.
  std::vector<std::string> digest_algorithms{"md5", "sha-256"};

  bool operator==(const SecuritySettings&) const = default;
};

struct CallSettings {
  std::chrono::seconds ring_timeout{60};
  // RFC 4028 session timer every call's legs run (0: only when a phone asks for one). Ends calls
  // whose caller or callee vanished.
  std::chrono::seconds session_expires{1800};

  bool operator==(const CallSettings&) const = default;
};

// The media engine: anchoring and the RTP relay (media/engine/media_engine_config.h gets these).
struct MediaSettings {
  bool anchor = true;  // relay every call's audio through the PBX; false: phones talk directly
  std::string address = "::";
  std::string advertised_address;  // empty: per leg, the address the kernel uses to reach it
  std::uint16_t rtp_port_min = 10000;
  std::uint16_t rtp_port_max = 20000;
  std::size_t workers = 0;  // 0: one per two CPU cores
  std::chrono::seconds rtp_timeout{60};
  bool inband_dtmf = false;  // also detect DTMF tones in the audio
  bool record_calls = false;
  std::string recording_dir;  // empty: <data_dir>/recordings
  std::string recording_format = "wav";

  bool operator==(const MediaSettings&) const = default;
};

// Configuration as code: tenants and extensions declared in the file are created at start, or
// brought in line with the file when they exist (passwords set when given).
struct ExtensionDecl {
  std::string number;
  std::string name;
  std::string password;  // empty: keep the stored one (a new extension gets a random one)

  bool operator==(const ExtensionDecl&) const = default;
};

struct TenantDecl {
  std::string name;
  std::vector<std::string> domains;
  std::vector<ExtensionDecl> extensions;

  bool operator==(const TenantDecl&) const = default;
};

// The bootstrap configuration of one kolokold process (ARCHITECTURE.md section 6): what it
// listens on and where it keeps its data. Everything else is data in the database.
struct Config {
  SipConfig sip;
  HttpConfig http;
  std::string data_dir = "./var";
  LogConfig log;
  ShutdownConfig shutdown;
  DatabaseConfig database;
  RegistrarSettings registrar;
  SecuritySettings security;
  CallSettings calls;
  MediaSettings media;
  // On first start (no tenant in the database), create the demo tenant "default" with
  // extensions 1001-1005 and random passwords.
  bool demo_tenant = true;
  std::vector<TenantDecl> tenants;

  bool operator==(const Config&) const = default;
};

struct DefaultsContext {
  bool ipv6_available = false;
  std::string version = "0.0.0";
};

// The configuration kolokold runs with when no file is given. The listeners on [::] are added
// only when the host has IPv6, so a v4-only host still starts.
Config default_config(const DefaultsContext& context);

// True when an AF_INET6 socket can be bound on this host (IPv6 compiled in and not disabled).
bool host_has_ipv6();

}  // namespace kolokol::config
