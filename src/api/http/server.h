#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/http/router.h"
#include "base/expected.h"
#include "base/log.h"

namespace kolokol::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (tests); port() tells which
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds read_timeout{30'000};
  std::size_t max_connections = 256;
  std::string server_name = "kolokold";
};

// A small HTTP/1.1 server on its own thread and io_context: keep-alive, request size limits
// (413 for a large body, 431 for large headers), 400 for a malformed request, a read timeout,
// and a graceful stop. Requests are answered by a Router. Beast stays inside server.cc.
class Server {
 public:
  Server(ServerOptions options, Router router, base::Logger log);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the thread. An error names the address and the reason.
  base::Expected<std::uint16_t, std::string> start();
  std::uint16_t port() const;

  // Stops accepting, lets responses being written finish (up to `grace`), closes every
  // connection and joins the thread. Idempotent. Must not be called from a handler.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kolokol::http
