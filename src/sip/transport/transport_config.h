#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sip/transport/endpoint.h"

namespace kolokol::sip {

struct ListenerConfig {
  Transport transport = Transport::Udp;
  std::string address = "0.0.0.0";  // IP literal to bind, "::" for all IPv6 addresses
  std::uint16_t port = 5060;        // 0: an ephemeral port (tests)
};

struct TransportConfig {
  std::vector<ListenerConfig> listeners;

  // Host put into the Via sent-by of requests we send from a listener bound to 0.0.0.0 or "::".
  // Empty: the local address the kernel would use to reach the destination.
  std::string advertised_host;

  // PEM files for TLS listeners and outgoing TLS. When both are empty a self-signed certificate
  // (EC P-256, CN = host name, SAN localhost/127.0.0.1/::1) is generated into
  // <data_dir>/tls/ on first start and reused afterwards.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  std::string data_dir = "var";

  // A TCP/TLS connection with no bytes in either direction for this long is closed.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds{180}};
  // TCP connect plus TLS handshake, outgoing and incoming.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds{5}};
  // Largest message accepted on any transport (a larger stream frame closes the connection).
  // It also bounds each connection's read buffer: at most this plus one read (16 KiB).
  std::size_t max_message_size = 64 * 1024;
  // Open TCP+TLS connections (both directions); over it, new ones are closed at accept.
  std::size_t max_connections = 20000;
  // Bytes queued for sending on one connection; a peer that reads slower is disconnected.
  std::size_t max_write_queue = 1024 * 1024;
};

}  // namespace kolokol::sip
