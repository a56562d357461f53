#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kolokol::http {

// A parsed HTTP request as handlers see it; no Beast types, so handlers and their tests compile
// without Beast.
struct Request {
  std::string method;  // "GET"
  std::string target;  // "/metrics?x=1"
  std::string path;    // "/metrics"
  std::string query;   // "x=1"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header of that name (case-insensitive), or "".
  std::string_view header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones, e.g. Allow
};

// RFC 9457 problem details: {"type":"about:blank","title":...,"status":...,"detail":...}.
Response problem(int status, std::string_view detail);

std::string_view reason_phrase(int status);

// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);

}  // namespace kolokol::http
