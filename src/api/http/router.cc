#include "api/http/router.h"

#include <algorithm>
#include <exception>
#include <set>
#include <stdexcept>

namespace kolokol::http {
namespace {

bool is_parameter(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

Response run(const Handler& handler, const Request& request) {
  try {
    return handler(request);
  } catch (const ProblemError& e) {
    return problem(e.status(), e.what(), e.field());
  } catch (const std::exception& e) {
    // A failing handler costs one request, never the server thread.
    return problem(500, e.what());
  }
}

}  // namespace

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::size_t start = 0;
  while (true) {
    const auto slash = path.find('/', start);
    segments.emplace_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

void Router::add(std::string method, std::string path, Handler handler) {
  if (path.find_first_of("{}") == std::string::npos) {
    exact_[std::move(path)][std::move(method)] = std::move(handler);
    return;
  }
  Template route;
  route.path = path;
  std::set<std::string> names;
  for (const auto& segment : split_path(path)) {
    const bool parameter = is_parameter(segment);
    std::string text = parameter ? segment.substr(1, segment.size() - 2) : segment;
    if (text.find_first_of("{}") != std::string::npos || (parameter && text.empty())) {
      throw std::invalid_argument("route " + path + ": a parameter must be a whole {name} segment");
    }
    if (parameter && !names.insert(text).second) {
      throw std::invalid_argument("route " + path + ": parameter {" + text + "} appears twice");
    }
    route.shape += parameter ? "/{}" : "/" + text;
    route.segments.push_back({std::move(text), parameter});
  }
  for (auto& existing : templates_) {
    if (existing.shape != route.shape) continue;
    if (existing.path != path) {
      throw std::invalid_argument("route " + path + " has the shape of " + existing.path +
                                  " with other parameter names");
    }
    existing.methods[std::move(method)] = std::move(handler);
    return;
  }
  route.methods[std::move(method)] = std::move(handler);
  // Sorted once here so dispatch takes the first match: at the first segment where two templates
  // differ in kind, the literal one goes first.
  const auto position = std::upper_bound(
      templates_.begin(), templates_.end(), route, [](const Template& a, const Template& b) {
        return std::lexicographical_compare(
            a.segments.begin(), a.segments.end(), b.segments.begin(), b.segments.end(),
            [](const Segment& x, const Segment& y) { return x.parameter < y.parameter; });
      });
  templates_.insert(position, std::move(route));
}

Response Router::dispatch(const Request& request) const {
  // Matching routes, most specific first, each with the parameters it binds.
  struct Match {
    const std::map<std::string, Handler>* methods;
    std::map<std::string, std::string, std::less<>> params;
  };
  std::vector<Match> matches;
  if (const auto exact = exact_.find(request.path); exact != exact_.end()) {
    matches.push_back({&exact->second, {}});
  }
  if (!templates_.empty()) {
    const auto segments = split_path(request.path);
    for (const auto& route : templates_) {
      if (route.segments.size() != segments.size()) continue;
      Match match{&route.methods, {}};
      bool matched = true;
      for (std::size_t i = 0; i < segments.size() && matched; ++i) {
        const Segment& want = route.segments[i];
        if (!want.parameter) {
          matched = want.text == segments[i];
        } else if (segments[i].empty()) {
          matched = false;
        } else {
          auto value = percent_decode(segments[i], false);
          if (!value) {
            return problem(400, "malformed %-escape in the path segment " + segments[i]);
          }
          match.params.emplace(want.text, std::move(*value));
        }
      }
      if (matched) matches.push_back(std::move(match));
    }
  }
  if (matches.empty()) return problem(404, "no resource at " + request.path);
  for (auto& match : matches) {
    const auto method = match.methods->find(request.method);
    if (method == match.methods->end()) continue;
    if (match.params.empty()) return run(method->second, request);
    Request with_params = request;
    with_params.path_params = std::move(match.params);
    return run(method->second, with_params);
  }
  std::set<std::string> allowed;
  for (const auto& match : matches) {
    for (const auto& [name, handler] : *match.methods) allowed.insert(name);
  }
  std::string allow;
  for (const auto& name : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += name;
  }
  Response response = problem(405, request.method + " is not allowed on " + request.path);
  response.headers.emplace_back("Allow", allow);
  return response;
}

}  // namespace kolokol::http
