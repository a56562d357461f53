#include "sip/core/default_responder.h"

namespace kolokol::sip {
namespace {

bool has_to_tag(const Message& request) {
  const NameAddr* to = request.to();
  return to != nullptr && to->tag().has_value();
}

}  // namespace

DefaultResponder::DefaultResponder(UasPolicy policy, ResponseFactory& responses,
                                   RequestAuthenticator& auth)
    : policy_(std::move(policy)), responses_(responses), auth_(auth) {}

std::optional<Message> DefaultResponder::respond(const Message& request) {
  if (!request.is_request() || request.method() == Method::Ack) return std::nullopt;
  if (auto rejection = validate_request(request, policy_)) {
    if (request.find(HeaderId::Via) == nullptr) return std::nullopt;  // nowhere to send it
    return responses_.reject(request, *rejection);
  }
  return answer(request);
}

std::optional<Message> DefaultResponder::answer(const Message& request) {
  if (!request.is_request()) return std::nullopt;
  switch (request.method()) {
    case Method::Ack:
      return std::nullopt;
    case Method::Options:
      return answer_options(request);
    case Method::Register:
      return answer_register(request);
    case Method::Invite:
    case Method::Message:
      return responses_.make(request, 480);
    case Method::Bye:
    case Method::Cancel:
    case Method::Prack:
    case Method::Update:
    case Method::Info:
    case Method::Notify:
      return responses_.make(request, 481);
    case Method::Subscribe:
      return responses_.make(request, has_to_tag(request) ? 481 : 489);
    case Method::Publish:
      return responses_.make(request, 489);
    case Method::Refer:
      return responses_.make(request, has_to_tag(request) ? 481 : 480);
    case Method::Other:
      break;
  }
  return responses_.make(request, 501);
}

Message DefaultResponder::answer_options(const Message& request) {
  Message response = responses_.make(request, 200);
  response.add_header(HeaderId::Allow, policy_.allow_value());
  response.add_header(HeaderId::Accept, policy_.accept_value());
  response.add_header(HeaderId::AcceptEncoding, policy_.accept_encoding_value());
  response.add_header(HeaderId::AcceptLanguage, policy_.accept_language_value());
  if (!policy_.supported_option_tags.empty()) {
    response.add_header(HeaderId::Supported, policy_.supported_value());
  }
  return response;
}

Message DefaultResponder::answer_register(const Message& request) {
  const AuthOutcome outcome = auth_.authenticate(request);
  switch (outcome.kind) {
    case AuthOutcome::Kind::Challenge: {
      Message response = responses_.make(request, 401);
      auth_.add_challenges(response, outcome.stale);
      return response;
    }
    case AuthOutcome::Kind::BadRequest:
      return responses_.reject(request, Rejection{400, {}, outcome.detail, {}});
    case AuthOutcome::Kind::Forbidden:
      return responses_.make(request, 403);
    case AuthOutcome::Kind::Authenticated:
      return responses_.reject(request, Rejection{403, {}, "no registrar", {}});
  }
  return responses_.make(request, 500);
}

}  // namespace kolokol::sip
