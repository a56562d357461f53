#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/expected.h"

namespace kolokol::cli {

// Where kolokold's HTTP server is: from --url, "http://host[:port][/prefix]".
struct ServerUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string prefix;  // prepended to every path, without a trailing '/'
  std::string text;    // as given, for messages
};
base::Expected<ServerUrl, std::string> parse_server_url(const std::string& text);

struct HttpAnswer {
  int status = 0;
  std::string content_type;
  std::string body;
};

// One HTTP/1.1 exchange per call, blocking, with a time limit on each step. The error is why the
// server could not be reached or did not answer (refused, timed out, connection closed ...).
class HttpClient {
 public:
  HttpClient(ServerUrl url, std::string token, std::chrono::milliseconds timeout);

  // `body` non-empty: sent as application/json.
  base::Expected<HttpAnswer, std::string> send(const std::string& method, const std::string& target,
                                               const std::string& body = {}) const;
  const ServerUrl& url() const { return url_; }

 private:
  ServerUrl url_;
  std::string token_;
  std::chrono::milliseconds timeout_;
};

// RFC 3986 percent-encoding of everything but unreserved characters: for path segments and
// query values built from user input.
std::string percent_encode(const std::string& text);

}  // namespace kolokol::cli
