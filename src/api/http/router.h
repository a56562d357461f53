#pragma once

#include <functional>
#include <map>
#include <string>

#include "api/http/message.h"

namespace kolokol::http {

using Handler = std::function<Response(const Request&)>;

// Routes by exact method and path. Built before the server starts and read-only afterwards, so
// the server thread reads it without locks.
class Router {
 public:
  void add(std::string method, std::string path, Handler handler);

  // The handler's response; 404 for an unknown path, 405 with Allow for a known path and an
  // unknown method; 500 when the handler throws. Problem bodies are application/problem+json.
  Response dispatch(const Request& request) const;

 private:
  std::map<std::string, std::map<std::string, Handler>> routes_;  // path -> method -> handler
};

}  // namespace kolokol::http
