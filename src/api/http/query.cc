#include "api/http/query.h"

#include <algorithm>
#include <charconv>

namespace kolokol::http {

QueryParams::QueryParams(const Request& request, std::initializer_list<std::string_view> allowed) {
  std::string_view rest = request.query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    const auto equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals), true);
    auto value = equals == std::string_view::npos ? std::optional<std::string>("")
                                                  : percent_decode(pair.substr(equals + 1), true);
    if (!name || !value) {
      throw ProblemError(400, "malformed %-escape in the query parameter " + std::string(pair));
    }
    if (std::find(allowed.begin(), allowed.end(), *name) == allowed.end()) {
      std::string known;
      for (const auto& each : allowed) known += (known.empty() ? "" : ", ") + std::string(each);
      throw ProblemError(
          400,
          "unknown query parameter " + *name +
              (known.empty() ? " (this resource takes none)" : " (known: " + known + ")"),
          *name);
    }
    if (!values_.emplace(*name, std::move(*value)).second) {
      throw ProblemError(400, "query parameter " + *name + " given twice", *name);
    }
  }
}

std::optional<std::string> QueryParams::get(std::string_view name) const {
  const auto found = values_.find(name);
  if (found == values_.end()) return std::nullopt;
  return found->second;
}

std::optional<std::int64_t> QueryParams::integer(std::string_view name, std::int64_t min,
                                                 std::int64_t max) const {
  const auto text = get(name);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [stop, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc() || stop != end || value < min || value > max) {
    throw ProblemError(400,
                       std::string(name) + ": expected an integer from " + std::to_string(min) +
                           " to " + std::to_string(max) + ", got \"" + *text + "\"",
                       std::string(name));
  }
  return value;
}

}  // namespace kolokol::http
