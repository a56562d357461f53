#include "sip/dialog/invite_session.h"

#include <memory>

#include "sip/dialog/session_manager.h"
#include "sip/dialog/uri_endpoint.h"
#include "sip/txn/transaction_layer.h"

namespace kolokol::sip {

std::string_view session_state_name(InviteSessionState state) {
  switch (state) {
    case InviteSessionState::Calling:
      return "calling";
    case InviteSessionState::Early:
      return "early";
    case InviteSessionState::Incoming:
      return "incoming";
    case InviteSessionState::Accepted:
      return "accepted";
    case InviteSessionState::Established:
      return "established";
    case InviteSessionState::Terminated:
      return "terminated";
  }
  return "?";
}

std::string_view end_reason_name(SessionEndReason reason) {
  switch (reason) {
    case SessionEndReason::Rejected:
      return "rejected";
    case SessionEndReason::Cancelled:
      return "cancelled";
    case SessionEndReason::LocalBye:
      return "local-bye";
    case SessionEndReason::RemoteBye:
      return "remote-bye";
    case SessionEndReason::Timeout:
      return "timeout";
    case SessionEndReason::NoAck:
      return "no-ack";
    case SessionEndReason::SessionExpired:
      return "session-expired";
    case SessionEndReason::TransportError:
      return "transport-error";
  }
  return "?";
}

InviteSession::InviteSession(SessionManager& manager, std::uint64_t id, bool is_uac)
    : manager_(manager),
      id_(id),
      is_uac_(is_uac),
      state_(is_uac ? InviteSessionState::Calling : InviteSessionState::Incoming) {}

InviteSession::~InviteSession() {
  for (base::TimerId timer : timers_) manager_.timers().cancel(timer);
  for (const ClientTransaction& txn : client_txns_) txn.detach();
}

base::TimerId InviteSession::start_timer(base::Duration delay, std::function<void()> callback) {
  auto own_id = std::make_shared<base::TimerId>(base::kNoTimer);
  const base::TimerId id =
      manager_.timers().schedule(delay, [this, own_id, callback = std::move(callback)] {
        timers_.erase(*own_id);
        callback();
      });
  *own_id = id;
  timers_.insert(id);
  return id;
}

void InviteSession::stop_timer(base::TimerId& id) {
  if (id == base::kNoTimer) return;
  manager_.timers().cancel(id);
  timers_.erase(id);
  id = base::kNoTimer;
}

bool InviteSession::has_sdp(const Message& message) const {
  return !message.body().empty() && is_sdp_content_type(message.content_type());
}

void InviteSession::add_common_headers(Message& message) const {
  const auto& config = manager_.config();
  if (message.is_request()) {
    message.set_header(HeaderId::UserAgent, config.user_agent);
  } else {
    message.set_header(HeaderId::Server, config.user_agent);
  }
  if (message.is_request() || message.status() < 300) {
    message.set_header(HeaderId::Allow, config.allow);
    message.set_header(HeaderId::Supported, config.support_100rel ? "100rel, timer" : "timer");
  }
}

Endpoint InviteSession::destination_for(const Dialog& dialog, const Message& request) const {
  if (flow_ && dialog.route_set().empty()) return *flow_;
  if (auto endpoint = endpoint_from_uri(dialog.next_hop_uri(request), transport_)) return *endpoint;
  return flow_ ? *flow_ : invite_destination_;
}

ClientTransaction InviteSession::send_dialog_request(Dialog& dialog, Message request,
                                                     ClientCallbacks callbacks) {
  const Endpoint destination = destination_for(dialog, request);
  std::erase_if(client_txns_, [](const ClientTransaction& txn) { return !txn.alive(); });
  ClientTransaction txn =
      manager_.layer().send_request(std::move(request), destination, std::move(callbacks));
  if (txn.alive()) client_txns_.push_back(txn);
  return txn;
}

void InviteSession::send_ack_for(const Message& response, std::uint32_t cseq, std::string body) {
  (void)response;
  if (!dialog_) return;
  Message ack = dialog_->make_ack(cseq);
  if (!body.empty()) ack.set_body("application/sdp", std::move(body));
  manager_.layer().send_ack(ack, destination_for(*dialog_, ack));
  acks_.insert_or_assign(cseq, std::move(ack));
}

std::optional<std::string> InviteSession::answer_pending_offer() {
  if (oa_.state() != OfferAnswer::State::RemoteOffer) return std::nullopt;
  const auto& handler = manager_.handler();
  std::optional<std::string> answer;
  if (handler.on_offer) {
    answer = handler.on_offer(*this, oa_.pending_offer());
  } else if (!oa_.local_sdp().empty()) {
    answer = oa_.local_sdp();
  }
  if (!answer) {
    oa_.rollback();
    return std::nullopt;
  }
  oa_.send_answer(*answer);
  return answer;
}

std::optional<std::string> InviteSession::answer_offer(const Message& carrier) {
  if (!oa_.receive_offer(carrier.body())) return std::nullopt;
  return answer_pending_offer();
}

void InviteSession::take_answer(const Message& carrier) {
  if (!has_sdp(carrier) || oa_.state() != OfferAnswer::State::LocalOffer) return;
  oa_.receive_answer(carrier.body());
  if (manager_.handler().on_answer) manager_.handler().on_answer(*this, oa_.remote_sdp());
}

std::string InviteSession::current_offer() {
  const auto& handler = manager_.handler();
  return handler.make_offer ? handler.make_offer(*this) : oa_.local_sdp();
}

void InviteSession::terminate(SessionEnd end) {
  if (state_ == InviteSessionState::Terminated) return;
  const bool was_established = state_ == InviteSessionState::Established;
  state_ = InviteSessionState::Terminated;
  end_ = end;
  for (base::TimerId timer : timers_) manager_.timers().cancel(timer);
  timers_.clear();
  reliable_timer_ = retransmit_timer_ = glare_timer_ = session_timer_ = base::kNoTimer;
  if (incoming_reinvite_pending_) {
    incoming_reinvite_pending_ = false;
    held_modify_.reset();
    incoming_reinvite_.respond(487, "Request Terminated");  // RFC 3261 15.1.2
  }
  if (dialog_) dialog_->terminate();
  if (manager_.handler().on_terminated) manager_.handler().on_terminated(*this, end);
  manager_.session_terminated(*this, was_established);
}

void InviteSession::send_bye(SessionEndReason reason) {
  if (state_ == InviteSessionState::Terminated || !dialog_) return;
  Message bye = dialog_->make_request(Method::Bye);
  add_common_headers(bye);
  send_dialog_request(*dialog_, std::move(bye), {});
  terminate({reason, 0});
}

void InviteSession::hangup() {
  switch (state_) {
    case InviteSessionState::Calling:
    case InviteSessionState::Early:
      if (is_uac_) {
        cancel();
      } else {
        reject(603, "Decline");
      }
      return;
    case InviteSessionState::Incoming:
      reject(603, "Decline");
      return;
    case InviteSessionState::Accepted:
    case InviteSessionState::Established:
      send_bye(SessionEndReason::LocalBye);
      return;
    case InviteSessionState::Terminated:
      return;
  }
}

void InviteSession::on_request(ServerTransaction txn, const Message& request,
                               const Source& source) {
  (void)source;
  if (state_ == InviteSessionState::Terminated || !dialog_) {
    txn.respond(481, "Call/Transaction Does Not Exist");
    return;
  }
  if (auto rejection = dialog_->check_request(request)) {
    txn.respond(std::move(*rejection));
    return;
  }
  switch (request.method()) {
    case Method::Invite:
      on_reinvite(std::move(txn), request);
      return;
    case Method::Update:
      on_update(std::move(txn), request);
      return;
    case Method::Bye:
      on_bye(std::move(txn), request);
      return;
    case Method::Prack:
      on_prack(std::move(txn), request);
      return;
    case Method::Info: {
      txn.respond(200);
      const auto& handler = manager_.handler();
      if (handler.on_info && state_ == InviteSessionState::Established) handler.on_info(*this, request);
      return;
    }
    case Method::Options:
    case Method::Notify:
    case Method::Message:
      txn.respond(200);
      return;
    default:
      txn.respond(501);
      return;
  }
}

void InviteSession::on_bye(ServerTransaction txn, const Message& request) {
  (void)request;
  txn.respond(200);
  if (!is_uac_ && (state_ == InviteSessionState::Incoming || state_ == InviteSessionState::Early)) {
    invite_stx_.respond(make_response(*invite_, 487, {}, local_tag_));
  }
  terminate({SessionEndReason::RemoteBye, 0});
}

bool InviteSession::reinvite(std::optional<std::string> offer) {
  if (state_ != InviteSessionState::Established || modify_in_progress_ || !oa_.idle()) return false;
  send_modify(Method::Invite, std::move(offer), false);
  return true;
}

bool InviteSession::update(std::optional<std::string> offer) {
  if (state_ != InviteSessionState::Established || modify_in_progress_) return false;
  if (offer && !oa_.idle()) return false;
  send_modify(Method::Update, std::move(offer), false);
  return true;
}

bool InviteSession::send_in_dialog(std::string_view method, std::string content_type,
                                   std::string body) {
  if (!dialog_ || state_ != InviteSessionState::Established) return false;
  Message request = dialog_->make_request(method);
  add_common_headers(request);
  if (!body.empty()) request.set_body(content_type, std::move(body));
  return send_dialog_request(*dialog_, std::move(request), {}).alive();
}

void InviteSession::send_modify(Method method, std::optional<std::string> offer, bool refresh) {
  (void)refresh;
  Message request = dialog_->make_request(method);
  add_common_headers(request);
  add_session_timer_headers(request);
  std::optional<std::string> sent_offer;
  if (method == Method::Invite || offer) {
    std::string body = offer ? *offer : current_offer();
    if (!body.empty() && oa_.send_offer(body)) {
      request.set_body("application/sdp", body);
      sent_offer = std::move(body);
    }
  }
  modify_in_progress_ = true;
  ClientCallbacks callbacks;
  callbacks.on_response = [this, method, sent_offer](const Message& response) {
    if (response.status() == 491 && state_ == InviteSessionState::Established) {
      oa_.rollback();
      modify_in_progress_ = false;
      schedule_glare_retry(method, sent_offer);
      return;
    }
    on_modify_response(method, response);
  };
  callbacks.on_timeout = [this] { send_bye(SessionEndReason::Timeout); };
  callbacks.on_transport_error = [this](std::string_view) {
    terminate({SessionEndReason::TransportError, 0});
  };
  send_dialog_request(*dialog_, std::move(request), std::move(callbacks));
}

void InviteSession::on_modify_response(Method method, const Message& response) {
  const int status = response.status();
  if (status < 200) return;
  const std::uint32_t cseq = response.cseq() ? response.cseq()->number : 0;
  if (status < 300) {
    if (method == Method::Invite && acks_.contains(cseq)) {
      Message& ack = acks_.at(cseq);
      manager_.layer().send_ack(ack, destination_for(*dialog_, ack));  // a retransmitted 2xx
      return;
    }
    if (state_ == InviteSessionState::Terminated) return;
    dialog_->update_from_response(method, response);
    std::string ack_body;
    if (has_sdp(response) && oa_.state() == OfferAnswer::State::LocalOffer) {
      take_answer(response);
    } else if (has_sdp(response) && method == Method::Invite && oa_.idle()) {
      ack_body = answer_offer(response).value_or("");  // re-INVITE without offer: offer in 2xx
    }
    if (method == Method::Invite) send_ack_for(response, cseq, std::move(ack_body));
    modify_in_progress_ = false;
    if (oa_.state() == OfferAnswer::State::LocalOffer) oa_.rollback();  // 2xx without answer
    apply_session_timer(response, /*we_sent_request=*/true);
    if (manager_.handler().on_modified) manager_.handler().on_modified(*this, method, status);
    return;
  }
  modify_in_progress_ = false;
  if (oa_.state() == OfferAnswer::State::LocalOffer) oa_.rollback();
  if (status == 422 && session_interval_) {
    // RFC 4028 6: the refresh's interval is too small for the peer; retry with its Min-SE.
    if (auto min_se = min_se_of(response); min_se && *min_se > *session_interval_) {
      session_interval_ = *min_se;
      send_modify(method, std::nullopt, true);
      return;
    }
  }
  if (status == 481 || status == 408) {
    send_bye(status == 408 ? SessionEndReason::Timeout : SessionEndReason::RemoteBye);
    return;
  }
  if (manager_.handler().on_modified) manager_.handler().on_modified(*this, method, status);
}

void InviteSession::schedule_glare_retry(Method method, std::optional<std::string> offer) {
  stop_timer(glare_timer_);
  const bool owns_call_id = dialog_ && dialog_->is_uac();
  glare_timer_ = start_timer(manager_.glare_backoff(owns_call_id), [this, method, offer] {
    glare_timer_ = base::kNoTimer;
    const bool sent = method == Method::Invite ? reinvite(offer) : update(offer);
    if (!sent && manager_.handler().on_modified) manager_.handler().on_modified(*this, method, 491);
  });
}

void InviteSession::on_reinvite(ServerTransaction txn, const Message& request) {
  if (modify_in_progress_ || oa_.state() == OfferAnswer::State::LocalOffer) {
    txn.respond(491, "Request Pending");  // glare, RFC 3261 14.2
    return;
  }
  if (state_ != InviteSessionState::Established || incoming_reinvite_pending_) {
    Message busy = make_response(request, 500, "Server Internal Error");
    busy.set_header(HeaderId::RetryAfter, "2");
    txn.respond(std::move(busy));
    return;
  }
  if (refuse_small_interval(txn, request)) return;
  if (hold_modify(txn, request)) return;
  answer_modify_now(std::move(txn), request);
}

// RFC 4028 5: a Session-Expires below our Min-SE gets 422 with Min-SE.
bool InviteSession::refuse_small_interval(ServerTransaction& txn, const Message& request) {
  const auto se = session_expires_of(request);
  if (!se || se->interval >= manager_.config().min_se) return false;
  Message too_small = make_response(request, 422, "Session Interval Too Small");
  too_small.set_header(HeaderId::MinSE, std::to_string(manager_.config().min_se));
  txn.respond(std::move(too_small));
  return true;
}

// Answers a re-INVITE or UPDATE at once: its offer through on_offer (488 when refused), else
// (re-INVITE) our offer in the 2xx.
void InviteSession::answer_modify_now(ServerTransaction txn, const Message& request) {
  std::optional<std::string> answer;
  if (has_sdp(request)) {
    answer = answer_offer(request);
    if (!answer) {
      txn.respond(488, "Not Acceptable Here");
      return;
    }
  }
  if (request.method() == Method::Invite) {
    send_reinvite_2xx(std::move(txn), request, std::move(answer));
  } else {
    send_update_2xx(std::move(txn), request, std::move(answer));
  }
}

void InviteSession::send_reinvite_2xx(ServerTransaction txn, const Message& request,
                                      std::optional<std::string> answer) {
  Message ok = make_response(request, 200);
  if (answer) {
    ok.set_body("application/sdp", *answer);
  } else {
    std::string offer = current_offer();
    if (!offer.empty() && oa_.send_offer(offer)) ok.set_body("application/sdp", offer);
  }
  ok.set_header(HeaderId::Contact, dialog_->local_contact().to_string());
  add_common_headers(ok);
  if (auto timer = answer_session_timer(request, manager_.config().session_expires,
                                        manager_.config().min_se)) {
    ok.set_header(HeaderId::SessionExpires, timer->expires.to_string());
    if (timer->require_timer) ok.set_header(HeaderId::Require, "timer");
    apply_session_timer(ok, /*we_sent_request=*/false);
  } else {
    session_interval_.reset();
    stop_timer(session_timer_);
  }
  send_2xx(std::move(txn), std::move(ok), Source{});
}

// Holds a re-INVITE or UPDATE with an offer open when the application answers asynchronously.
bool InviteSession::hold_modify(ServerTransaction& txn, const Message& request) {
  const auto& handler = manager_.handler();
  if (!handler.on_modify_offer || !has_sdp(request)) return false;
  if (!oa_.receive_offer(request.body())) {
    txn.respond(488, "Not Acceptable Here");
    return true;
  }
  incoming_reinvite_ = txn;
  held_modify_ = request.clone();
  incoming_reinvite_pending_ = true;
  if (handler.on_modify_offer(*this, request.method(), oa_.pending_offer())) return true;
  incoming_reinvite_pending_ = false;
  held_modify_.reset();
  incoming_reinvite_ = {};
  auto answer = answer_pending_offer();
  if (!answer) {
    txn.respond(488, "Not Acceptable Here");
    return true;
  }
  if (request.method() == Method::Invite) {
    send_reinvite_2xx(std::move(txn), request, std::move(answer));
  } else {
    send_update_2xx(std::move(txn), request, std::move(answer));
  }
  return true;
}

bool InviteSession::answer_modify(std::string answer) {
  if (!incoming_reinvite_pending_ || state_ == InviteSessionState::Terminated) return false;
  incoming_reinvite_pending_ = false;
  Message request = std::move(*held_modify_);
  held_modify_.reset();
  ServerTransaction txn = std::move(incoming_reinvite_);
  incoming_reinvite_ = {};
  oa_.send_answer(answer);
  if (request.method() == Method::Invite) {
    send_reinvite_2xx(std::move(txn), request, std::move(answer));
  } else {
    send_update_2xx(std::move(txn), request, std::move(answer));
  }
  return true;
}

bool InviteSession::reject_modify(int status, std::string_view reason) {
  if (!incoming_reinvite_pending_ || status < 300) return false;
  incoming_reinvite_pending_ = false;
  held_modify_.reset();
  if (oa_.state() == OfferAnswer::State::RemoteOffer) oa_.rollback();
  ServerTransaction txn = std::move(incoming_reinvite_);
  incoming_reinvite_ = {};
  return txn.respond(status, reason);
}

void InviteSession::on_update(ServerTransaction txn, const Message& request) {
  if (has_sdp(request)) {
    if (oa_.state() == OfferAnswer::State::LocalOffer) {
      txn.respond(491, "Request Pending");
      return;
    }
    if (oa_.state() == OfferAnswer::State::RemoteOffer) {
      Message busy = make_response(request, 500, "Server Internal Error");
      busy.set_header(HeaderId::RetryAfter, "2");
      txn.respond(std::move(busy));
      return;
    }
  }
  if (refuse_small_interval(txn, request)) return;
  if (state_ == InviteSessionState::Established && hold_modify(txn, request)) return;
  answer_modify_now(std::move(txn), request);
}

void InviteSession::send_update_2xx(ServerTransaction txn, const Message& request,
                                    std::optional<std::string> answer) {
  Message ok = make_response(request, 200);
  if (answer) ok.set_body("application/sdp", *answer);
  ok.set_header(HeaderId::Contact, dialog_->local_contact().to_string());
  add_common_headers(ok);
  if (auto timer = answer_session_timer(request, manager_.config().session_expires,
                                        manager_.config().min_se);
      timer && (session_interval_ || session_expires_of(request))) {
    ok.set_header(HeaderId::SessionExpires, timer->expires.to_string());
    if (timer->require_timer) ok.set_header(HeaderId::Require, "timer");
    apply_session_timer(ok, /*we_sent_request=*/false);
  }
  txn.respond(std::move(ok));
}

}  // namespace kolokol::sip
