#include "api/http/bearer_auth.h"

#include <algorithm>

#include "base/text.h"

namespace kolokol::http {
namespace {

Response unauthorized(std::string_view detail, bool token_sent) {
  Response response = problem(401, detail);
  response.headers.emplace_back("WWW-Authenticate",
                                token_sent ? "Bearer realm=\"kolokol\", error=\"invalid_token\""
                                           : "Bearer realm=\"kolokol\"");
  return response;
}

}  // namespace

bool constant_time_equal(std::string_view a, std::string_view b) {
  const std::size_t length = std::max(a.size(), b.size());
  unsigned difference = a.size() == b.size() ? 0U : 1U;
  for (std::size_t i = 0; i < length; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    difference |= static_cast<unsigned>(x ^ y);
  }
  return difference == 0;
}

Handler require_bearer(std::shared_ptr<const std::string> token, Handler next) {
  return [token = std::move(token), next = std::move(next)](const Request& request) {
    std::string_view value = request.header("Authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (value.empty()) return unauthorized("this resource needs Authorization: Bearer", false);
    if (value.size() < kScheme.size() || !base::iequals(value.substr(0, kScheme.size()), kScheme)) {
      return unauthorized("only the Bearer authorization scheme is accepted", false);
    }
    value.remove_prefix(kScheme.size());
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (!constant_time_equal(value, *token)) return unauthorized("wrong bearer token", true);
    return next(request);
  };
}

}  // namespace kolokol::http
