#include "api/http/router.h"

#include <exception>

namespace kolokol::http {

void Router::add(std::string method, std::string path, Handler handler) {
  routes_[std::move(path)][std::move(method)] = std::move(handler);
}

Response Router::dispatch(const Request& request) const {
  const auto path = routes_.find(request.path);
  if (path == routes_.end()) {
    return problem(404, "no resource at " + request.path);
  }
  const auto method = path->second.find(request.method);
  if (method == path->second.end()) {
    std::string allow;
    for (const auto& [name, handler] : path->second) {
      if (!allow.empty()) allow += ", ";
      allow += name;
    }
    Response response = problem(405, request.method + " is not allowed on " + request.path);
    response.headers.emplace_back("Allow", allow);
    return response;
  }
  try {
    return method->second(request);
  } catch (const std::exception& e) {
    // A failing handler costs one request, never the server thread.
    return problem(500, e.what());
  }
}

}  // namespace kolokol::http
