#pragma once

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
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
  // The {name} segments of the route template that matched, percent-decoded (set by the Router).
  std::map<std::string, std::string, std::less<>> path_params;

  // The first header of that name (case-insensitive), or "".
  std::string_view header(std::string_view name) const;
  // The path parameter `name`; throws std::out_of_range when the route has none of that name
  // (a handler registered on the wrong template).
  const std::string& path_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones, e.g. Allow
};

// RFC 9457 problem details: {"type":"about:blank","title":...,"status":...,"detail":...}, with
// the extension member "field" naming the offending input when `field` is not empty.
Response problem(int status, std::string_view detail, std::string_view field = {});

// Thrown by a handler (or the helpers it calls) to answer with a problem response: lets request
// validation read top to bottom instead of threading an error through every step. The Router
// turns it into problem(status, what(), field).
class ProblemError : public std::runtime_error {
 public:
  ProblemError(int status, const std::string& detail, std::string field = {})
      : std::runtime_error(detail), status_(status), field_(std::move(field)) {}
  int status() const { return status_; }
  const std::string& field() const { return field_; }

 private:
  int status_;
  std::string field_;
};

// RFC 3986 2.1 percent-decoding; `plus_is_space` for query strings (HTML form encoding). nullopt
// for a '%' not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

std::string_view reason_phrase(int status);

// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);

}  // namespace kolokol::http
