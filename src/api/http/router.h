#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/http/message.h"

namespace kolokol::http {

using Handler = std::function<Response(const Request&)>;

// Routes by method and path. A path is exact ("/health") or a template whose whole segments may
// be parameters ("/api/v1/extensions/{tenant}/{number}"); a handler reads them, percent-decoded,
// from Request::path_params. Built before the server starts and read-only afterwards, so the
// server thread reads it without locks.
class Router {
 public:
  // Throws std::invalid_argument for a malformed template (a '{' that is not a whole segment, an
  // empty or repeated name) and for one with the same shape as another but other names: both
  // are programming errors found at start-up.
  void add(std::string method, std::string path, Handler handler);

  // The handler's response. An exact path wins over templates; among templates the one with a
  // literal segment where another has a parameter, first from the left, wins. 404 when nothing
  // matches, 405 with Allow (every method of the matching routes) when no matching route has the
  // method, 400 for a parameter with a malformed %-escape; a thrown ProblemError becomes its
  // problem response and any other exception a 500. Problem bodies are application/problem+json.
  Response dispatch(const Request& request) const;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool parameter = false;
  };
  struct Template {
    std::string path;
    std::string shape;  // the path with each parameter as {}: two templates of one shape clash
    std::vector<Segment> segments;
    std::map<std::string, Handler> methods;
  };

  std::map<std::string, std::map<std::string, Handler>> exact_;  // path -> method -> handler
  std::vector<Template> templates_;                              // most specific first
};

// The segments between '/' of a path: "/a/b/" -> {"a", "b", ""}.
std::vector<std::string> split_path(std::string_view path);

}  // namespace kolokol::http
