#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/http/message.h"

namespace kolokol::http {

// A request's query string, decoded ('+' is a space), checked against the names its route
// knows, so a misspelt filter is an error rather than silently ignored. The constructor throws
// ProblemError 400 (naming the parameter) for a malformed %-escape, an unknown name or a name
// given twice.
class QueryParams {
 public:
  QueryParams(const Request& request, std::initializer_list<std::string_view> allowed);

  // The value, nullopt when absent ("" for "?name" and "?name=").
  std::optional<std::string> get(std::string_view name) const;
  // The value as a decimal integer in [min, max]; nullopt when absent, ProblemError 400 naming
  // the parameter when it is something else.
  std::optional<std::int64_t> integer(std::string_view name, std::int64_t min,
                                      std::int64_t max) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace kolokol::http
