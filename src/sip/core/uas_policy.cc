#include "sip/core/uas_policy.h"

#include "base/text.h"

#include <algorithm>

namespace kolokol::sip {
namespace {

bool contains_ignoring_case(const std::vector<std::string>& list, std::string_view item) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& entry) { return base::iequals(entry, item); });
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out.append(out.empty() ? "" : ", ").append(item);
  return out;
}

}  // namespace

UasPolicy UasPolicy::defaults() {
  UasPolicy policy;
  policy.allowed_methods = {Method::Invite,  Method::Ack,      Method::Bye,      Method::Cancel,
                            Method::Options, Method::Register, Method::Prack,    Method::Update,
                            Method::Info,    Method::Notify,   Method::Subscribe};
  policy.supported_option_tags = {"100rel", "timer"};
  policy.accepted_body_types = {"application/sdp",  "multipart/mixed", "application/dtmf-relay",
                                "application/dtmf", "message/sipfrag", "text/plain"};
  policy.accepted_encodings = {"identity"};
  policy.accepted_languages = {"en"};
  policy.methods_answered_with_sdp = {Method::Invite};
  return policy;
}

bool UasPolicy::serves_host(std::string_view host) const {
  return domains.empty() || contains_ignoring_case(domains, host);
}

bool UasPolicy::allows(Method method) const {
  return std::find(allowed_methods.begin(), allowed_methods.end(), method) != allowed_methods.end();
}

bool UasPolicy::supports_option(std::string_view tag) const {
  return contains_ignoring_case(supported_option_tags, tag);
}

bool UasPolicy::accepts_body_type(std::string_view media_type) const {
  return contains_ignoring_case(accepted_body_types, media_type);
}

bool UasPolicy::accepts_encoding(std::string_view coding) const {
  return contains_ignoring_case(accepted_encodings, coding);
}

std::string UasPolicy::allow_value() const {
  std::vector<std::string> names;
  for (Method method : allowed_methods) names.emplace_back(method_name(method));
  return join(names);
}

std::string UasPolicy::supported_value() const {
  return join(supported_option_tags);
}
std::string UasPolicy::accept_value() const {
  return join(accepted_body_types);
}
std::string UasPolicy::accept_encoding_value() const {
  return join(accepted_encodings);
}
std::string UasPolicy::accept_language_value() const {
  return join(accepted_languages);
}

}  // namespace kolokol::sip
