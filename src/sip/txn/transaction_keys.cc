#include "sip/txn/transaction_keys.h"

#include <algorithm>
#include <cctype>

namespace kolokol::sip {
namespace {

constexpr char kSep = '\x1f';  // cannot appear in any header value

void append(std::string& key, std::string_view part) {
  key.append(part);
  key.push_back(kSep);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::uint16_t default_port(const Via& via) {
  return via.transport == "TLS" || via.transport == "WSS" ? 5061 : 5060;
}

std::string_view tag_of(const NameAddr* address) {
  if (address == nullptr) return {};
  return address->tag().value_or(std::string_view{});
}

}  // namespace

std::string_view cseq_method(const CSeq& cseq) {
  return cseq.method == Method::Other ? std::string_view(cseq.method_text)
                                      : method_name(cseq.method);
}

std::string_view request_method(const Message& request) {
  std::string_view text = request.method_text();
  return text.empty() ? method_name(request.method()) : text;
}

std::string client_key(std::string_view branch, std::string_view method) {
  std::string key;
  key.reserve(branch.size() + method.size() + 2);
  append(key, branch);
  append(key, method);
  return key;
}

std::string client_key_of_response(const Message& response) {
  const Via* via = response.top_via();
  const CSeq* cseq = response.cseq();
  if (via == nullptr || cseq == nullptr) return {};
  return client_key(via->branch().value_or(std::string_view{}), cseq_method(*cseq));
}

bool has_rfc3261_branch(const Message& request) {
  const Via* via = request.top_via();
  return via != nullptr && via->rfc3261_branch();
}

std::string server_key(const Message& request, std::string_view method, std::string_view to_tag) {
  const Via& via = *request.top_via();
  std::string key;
  if (via.rfc3261_branch()) {
    append(key, "3261");
    append(key, *via.branch());
    append(key, lower(via.host));
    append(key, std::to_string(via.port.value_or(default_port(via))));
    append(key, method);
    return key;
  }
  append(key, "2543");
  append(key, request.request_uri().to_string());
  append(key, to_tag);
  append(key, tag_of(request.from()));
  append(key, request.call_id());
  append(key, std::to_string(request.cseq()->number));
  append(key, via.to_string());
  append(key, method);
  return key;
}

std::string merge_key(const Message& request) {
  std::string key;
  append(key, tag_of(request.from()));
  append(key, request.call_id());
  append(key, std::to_string(request.cseq()->number));
  append(key, cseq_method(*request.cseq()));
  return key;
}

std::string ack_2xx_key(const Message& message) {
  std::string key;
  append(key, message.call_id());
  append(key, tag_of(message.from()));
  append(key, tag_of(message.to()));
  append(key, std::to_string(message.cseq() != nullptr ? message.cseq()->number : 0));
  return key;
}

std::string_view to_tag_of(const Message& message) {
  return tag_of(message.to());
}

}  // namespace kolokol::sip
