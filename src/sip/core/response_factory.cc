#include "sip/core/response_factory.h"

namespace kolokol::sip {
namespace {

constexpr std::size_t kMaxWarningText = 200;

}  // namespace

ResponseFactory::ResponseFactory(std::string server, std::string warn_agent, IdGenerator ids)
    : server_(std::move(server)), warn_agent_(std::move(warn_agent)), ids_(std::move(ids)) {
  if (warn_agent_.empty()) warn_agent_ = "-";
}

Message ResponseFactory::make(const Message& request, int status, std::string_view reason,
                              std::string_view to_tag) {
  std::string tag;
  if (status != 100) tag = to_tag.empty() ? ids_.tag() : std::string(to_tag);
  Message response = make_response(request, status, reason, tag);
  if (!server_.empty()) response.add_header(HeaderId::Server, server_);
  return response;
}

Message ResponseFactory::reject(const Message& request, const Rejection& rejection) {
  Message response = make(request, rejection.status, rejection.reason);
  for (const auto& [id, value] : rejection.headers) response.add_header(id, value);
  if (!rejection.warning.empty()) {
    response.add_header(HeaderId::Warning, warning_value(rejection.warning));
  }
  return response;
}

std::string ResponseFactory::warning_value(std::string_view text) const {
  // The text may quote the offending request (a method, a host): keep it printable ASCII,
  // escape what a quoted-string needs escaped, and keep it short.
  std::string out = "399 " + warn_agent_ + " \"";
  std::size_t kept = 0;
  for (char c : text) {
    if (kept++ >= kMaxWarningText) break;
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      out.push_back('?');
      continue;
    }
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace kolokol::sip
