#include "sip/dialog/dialog.h"

#include <algorithm>

namespace kolokol::sip {

namespace {

NameAddr with_tag(NameAddr party, std::string_view tag) {
  if (!tag.empty()) set_param(party.params, "tag", tag);
  return party;
}

// 19.1.1 table: "method" and URI headers are not allowed in a Request-URI.
Uri request_uri_from_route(const Uri& route_uri) {
  Uri uri = route_uri;
  remove_param(uri.params, "method");
  uri.headers.clear();
  return uri;
}

bool is_sips(const Uri& uri) {
  return uri.scheme == UriScheme::Sips;
}

}  // namespace

std::string_view dialog_state_name(DialogState state) {
  switch (state) {
    case DialogState::Early:
      return "early";
    case DialogState::Confirmed:
      return "confirmed";
    case DialogState::Terminated:
      return "terminated";
  }
  return "?";
}

bool is_target_refresh(Method method) {
  return method == Method::Invite || method == Method::Update || method == Method::Subscribe ||
         method == Method::Notify || method == Method::Refer;
}

std::vector<NameAddr> record_route_list(const Message& message) {
  return message.record_routes();
}

base::Expected<Dialog, std::string> Dialog::create_uac(const Message& request,
                                                       const Message& response,
                                                       bool sent_over_tls) {
  const NameAddr* from = request.from();
  const NameAddr* to = response.to();
  const CSeq* cseq = request.cseq();
  if (!from || !to || !cseq || request.call_id().empty()) {
    return base::unexpected(std::string("request lacks From, To, Call-ID or CSeq"));
  }
  const auto local_tag = from->tag();
  const auto remote_tag = to->tag();
  if (!local_tag || local_tag->empty())
    return base::unexpected(std::string("request has no From tag"));
  if (!remote_tag || remote_tag->empty())
    return base::unexpected(std::string("response has no To tag"));
  if (response.is_request() || response.status() < 101 || response.status() >= 300) {
    return base::unexpected(std::string("only 101-299 responses create dialogs"));
  }

  Dialog d;
  d.is_uac_ = true;
  d.id_ =
      DialogId{std::string(request.call_id()), std::string(*local_tag), std::string(*remote_tag)};
  d.state_ = response.status() >= 200 ? DialogState::Confirmed : DialogState::Early;
  d.secure_ = sent_over_tls && is_sips(request.request_uri());
  d.local_cseq_ = cseq->number;
  d.local_party_ = *from;
  const NameAddr* request_to = request.to();
  d.remote_party_ = with_tag(request_to ? *request_to : *to, *remote_tag);
  const auto& contacts = response.contacts();
  d.remote_target_ = contacts.empty() ? request.request_uri() : contacts.front().uri;
  if (!request.contacts().empty()) d.local_contact_ = request.contacts().front();
  d.route_set_ = record_route_list(response);
  std::reverse(d.route_set_.begin(), d.route_set_.end());
  return d;
}

base::Expected<Dialog, std::string> Dialog::create_uas(const Message& request,
                                                       std::string_view local_tag,
                                                       const NameAddr& local_contact,
                                                       bool arrived_over_tls) {
  const NameAddr* from = request.from();
  const NameAddr* to = request.to();
  const CSeq* cseq = request.cseq();
  if (!from || !to || !cseq || request.call_id().empty()) {
    return base::unexpected(std::string("request lacks From, To, Call-ID or CSeq"));
  }
  if (local_tag.empty()) return base::unexpected(std::string("no local tag"));
  Dialog d;
  d.is_uac_ = false;
  // A request without a From tag (RFC 2543 peer) gets an empty remote tag.
  d.id_ = DialogId{std::string(request.call_id()), std::string(local_tag),
                   std::string(from->tag().value_or(""))};
  d.state_ = DialogState::Early;
  d.secure_ = arrived_over_tls && is_sips(request.request_uri());
  d.remote_cseq_ = cseq->number;
  d.local_party_ = with_tag(*to, local_tag);
  d.remote_party_ = *from;
  const auto& contacts = request.contacts();
  if (contacts.empty()) return base::unexpected(std::string("request has no Contact"));
  d.remote_target_ = contacts.front().uri;
  d.local_contact_ = local_contact;
  d.route_set_ = record_route_list(request);
  return d;
}

void Dialog::update_from_response(Method request_method, const Message& response) {
  const int status = response.status();
  const bool creating = state_ == DialogState::Early && request_method == Method::Invite;
  if (creating && status >= 200 && status < 300) {
    // 12.2.1.2 / 13.2.2.4: the 2xx's Record-Route replaces whatever the 1xx said.
    route_set_ = record_route_list(response);
    if (is_uac_) std::reverse(route_set_.begin(), route_set_.end());
  }
  const bool refreshes =
      is_target_refresh(request_method) &&
      ((status >= 200 && status < 300) || (creating && status > 100 && status < 200));
  if (refreshes && !response.contacts().empty()) remote_target_ = response.contacts().front().uri;
  if (status >= 200 && status < 300) confirm();
}

void Dialog::fill_request(Message& request, Method method, std::string_view method_text,
                          std::uint32_t cseq) const {
  (void)method;
  std::vector<NameAddr> routes;
  if (!route_set_.empty() && !has_param(route_set_.front().uri.params, "lr")) {
    // Strict routing: the first route becomes the Request-URI, the remote target goes last.
    request.set_request_uri(request_uri_from_route(route_set_.front().uri));
    routes.assign(route_set_.begin() + 1, route_set_.end());
    NameAddr target;
    target.uri = remote_target_;
    routes.push_back(std::move(target));
  } else {
    routes = route_set_;
  }
  for (const auto& route : routes) request.add_header(HeaderId::Route, route.to_string());
  request.set_header(HeaderId::MaxForwards, "70");
  request.set_from(local_party_);
  request.set_to(remote_party_);
  request.set_header(HeaderId::CallId, id_.call_id);
  request.set_cseq(CSeq{cseq, request.method(), std::string(method_text)});
}

Message Dialog::make_request(Method method) {
  return make_request(method_name(method));
}

Message Dialog::make_request(std::string_view method_text) {
  const Method method = method_from_name(method_text);
  local_cseq_ = local_cseq_ ? *local_cseq_ + 1 : 1;
  Message request = Message::request(method_text, remote_target_);
  fill_request(request, method, method_text, *local_cseq_);
  if (is_target_refresh(method) && !local_contact_.uri.host.empty()) {
    request.set_header(HeaderId::Contact, local_contact_.to_string());
  }
  return request;
}

Message Dialog::make_ack(std::uint32_t invite_cseq) const {
  Message ack = Message::request(Method::Ack, remote_target_);
  fill_request(ack, Method::Ack, "ACK", invite_cseq);
  return ack;
}

Uri Dialog::next_hop_uri(const Message& request) const {
  // Loose or strict, the first route is where the request goes (with a strict first route it is
  // also the Request-URI).
  return route_set_.empty() ? request.request_uri() : route_set_.front().uri;
}

std::optional<Message> Dialog::check_request(const Message& request) {
  const CSeq* cseq = request.cseq();
  if (!cseq) return make_response(request, 400, "Missing CSeq");
  const Method method = request.method();
  if (method != Method::Ack && method != Method::Cancel) {
    if (remote_cseq_ && cseq->number < *remote_cseq_) {
      Message response = make_response(request, 500, "CSeq Out of Order");
      response.set_header(HeaderId::RetryAfter, "1");
      return response;
    }
    // A retransmission with an equal CSeq is absorbed by the transaction layer before it
    // reaches us; equal numbers here are accepted (RFC 2543 peers, PRACK after INVITE ...).
    remote_cseq_ = cseq->number;
  }
  if (is_target_refresh(method) && !request.contacts().empty() &&
      !request.contacts().front().wildcard) {
    remote_target_ = request.contacts().front().uri;
  }
  return std::nullopt;
}

}  // namespace kolokol::sip
