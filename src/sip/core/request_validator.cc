#include "sip/core/request_validator.h"

#include "sip/core/media_types.h"

namespace kolokol::sip {
namespace {

bool exempt_from_require(Method method) {
  return method == Method::Ack || method == Method::Cancel;
}

std::optional<Rejection> check_method(const Message& request, const UasPolicy& policy) {
  const Method method = request.method();
  if (method == Method::Other) {
    return Rejection{
        501, {}, "method " + std::string(request.method_text()) + " not implemented", {}};
  }
  if (!policy.allows(method)) {
    return Rejection{405, {}, {}, {{HeaderId::Allow, policy.allow_value()}}};
  }
  return std::nullopt;
}

std::optional<Rejection> check_request_uri(const Message& request, const UasPolicy& policy) {
  const Uri& uri = request.request_uri();
  if (uri.scheme == UriScheme::Other) {
    return Rejection{416, {}, "URI scheme " + uri.scheme_text + " not supported", {}};
  }
  if (uri.is_sip() && !policy.serves_host(uri.host)) {
    return Rejection{404, {}, "domain " + uri.host + " not served here", {}};
  }
  return std::nullopt;
}

std::optional<Rejection> check_require(const Message& request, const UasPolicy& policy) {
  if (exempt_from_require(request.method())) return std::nullopt;
  std::string unsupported;
  for (std::string_view tag : request.values(HeaderId::Require)) {
    if (tag.empty() || policy.supports_option(tag)) continue;
    unsupported.append(unsupported.empty() ? "" : ", ").append(tag);
  }
  if (unsupported.empty()) return std::nullopt;
  return Rejection{420, {}, {}, {{HeaderId::Unsupported, unsupported}}};
}

Rejection unsupported_media(const UasPolicy& policy, std::string warning) {
  return Rejection{415,
                   {},
                   std::move(warning),
                   {{HeaderId::Accept, policy.accept_value()},
                    {HeaderId::AcceptEncoding, policy.accept_encoding_value()}}};
}

bool body_understood(const Message& request, const UasPolicy& policy, std::string_view type) {
  if (type == "multipart/mixed") {
    if (!policy.accepts_body_type(type)) return false;
    const Header* content_type = request.find(HeaderId::ContentType);
    const auto boundary =
        content_type ? media_type_param(content_type->value, "boundary") : std::nullopt;
    if (!boundary) return false;
    for (const auto& part : multipart_part_types(request.body(), *boundary)) {
      if (!part.starts_with("multipart/") && policy.accepts_body_type(part)) return true;
    }
    return false;
  }
  return policy.accepts_body_type(type);
}

std::optional<Rejection> check_body(const Message& request, const UasPolicy& policy) {
  if (request.body().empty()) return std::nullopt;
  for (std::string_view coding : request.values(HeaderId::ContentEncoding)) {
    if (!coding.empty() && !policy.accepts_encoding(coding)) {
      return unsupported_media(policy, "content coding " + std::string(coding) + " not supported");
    }
  }
  const Header* content_type = request.find(HeaderId::ContentType);
  if (content_type == nullptr) return Rejection{400, {}, "body without Content-Type", {}};
  const std::string type = media_type_of(content_type->value);
  if (!body_understood(request, policy, type)) {
    return unsupported_media(policy, "body type " + type + " not supported");
  }
  return std::nullopt;
}

std::optional<Rejection> check_accept(const Message& request, const UasPolicy& policy) {
  bool answered_with_sdp = false;
  for (Method method : policy.methods_answered_with_sdp) {
    answered_with_sdp = answered_with_sdp || method == request.method();
  }
  if (!answered_with_sdp || request.find(HeaderId::Accept) == nullptr) return std::nullopt;
  if (accept_admits(request.values(HeaderId::Accept), "application/sdp")) return std::nullopt;
  return Rejection{406, {}, "Accept excludes application/sdp", {}};
}

}  // namespace

std::optional<Rejection> validate_request(const Message& request, const UasPolicy& policy) {
  if (const auto& defect = request.defect()) {
    return Rejection{defect->status == 0 ? 400 : defect->status, {}, defect->reason, {}};
  }
  if (request.find(HeaderId::Contact) != nullptr && request.contacts().empty()) {
    return Rejection{400, {}, "malformed Contact", {}};
  }
  for (auto check : {check_method, check_request_uri, check_require, check_body, check_accept}) {
    if (auto rejection = check(request, policy)) return rejection;
  }
  return std::nullopt;
}

}  // namespace kolokol::sip
