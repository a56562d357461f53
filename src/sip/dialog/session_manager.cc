#include "sip/dialog/session_manager.h"

namespace kolokol::sip {

SessionManager::SessionManager(TransactionLayer& layer, base::TimerService& timers,
                               base::Logger log, InviteSessionConfig config, SessionHandler handler)
    : layer_(layer),
      timers_(timers),
      log_(std::move(log)),
      config_(std::move(config)),
      handler_(std::move(handler)),
      rng_(config_.seed ? *config_.seed : std::random_device{}()) {}

SessionManager::~SessionManager() {
  for (const auto& [session, timer] : reap_timers_) timers_.cancel(timer);
  sessions_.clear();  // sessions cancel their own timers and detach their transactions
}

InviteSession* SessionManager::invite(OutgoingCall call) {
  Message request = Message::request(Method::Invite, call.request_uri);
  NameAddr from = call.from;
  const std::string tag = layer_.ids().tag();
  set_param(from.params, "tag", tag);
  NameAddr to = call.to;
  remove_param(to.params, "tag");
  request.set_header(HeaderId::MaxForwards, "70");
  request.set_from(from);
  request.set_to(to);
  const std::string call_id = layer_.ids().call_id("");
  request.set_header(HeaderId::CallId, call_id);
  request.set_cseq(CSeq{1, Method::Invite, "INVITE"});
  request.set_header(HeaderId::Contact, call.contact.to_string());
  for (const auto& [name, value] : call.extra_headers) request.add_header(name, value);
  if (call.offer) request.set_body("application/sdp", *call.offer);

  const std::uint64_t id = next_id_++;
  auto session = std::make_unique<InviteSession>(*this, id, /*is_uac=*/true);
  InviteSession* raw = session.get();
  Key key{call_id, tag};
  by_id_.emplace(id, key);
  sessions_.emplace(std::move(key), std::move(session));
  raw->start_uac(std::move(request), call.destination);
  return find(id);  // the start may already have failed and scheduled the reaping
}

InviteSession* SessionManager::find(std::uint64_t session_id) {
  auto it = by_id_.find(session_id);
  if (it == by_id_.end()) return nullptr;
  auto session = sessions_.find(it->second);
  return session == sessions_.end() ? nullptr : session->second.get();
}

InviteSession* SessionManager::find(std::string_view call_id, std::string_view local_tag) {
  auto it = sessions_.find(Key{std::string(call_id), std::string(local_tag)});
  return it == sessions_.end() ? nullptr : it->second.get();
}

std::size_t SessionManager::active_session_count() const {
  std::size_t count = 0;
  for (const auto& [key, session] : sessions_) {
    if (session->state() != InviteSessionState::Terminated) ++count;
  }
  return count;
}

void SessionManager::hangup_all() {
  std::vector<std::uint64_t> ids;
  for (const auto& [key, session] : sessions_) ids.push_back(session->id());
  for (std::uint64_t id : ids) {
    if (InviteSession* session = find(id)) session->hangup();
  }
}

void SessionManager::on_request(ServerTransaction txn, const Message& request,
                                const Source& source) {
  if (request.defect()) {
    txn.respond(request.defect()->status, request.defect()->reason);
    return;
  }
  const NameAddr* to = request.to();
  const auto to_tag = to ? to->tag() : std::nullopt;
  if (to_tag && !to_tag->empty()) {
    if (InviteSession* session = find(request.call_id(), *to_tag)) {
      session->on_request(std::move(txn), request, source);
      return;
    }
    if (handler_.on_out_of_dialog && request.method() != Method::Invite &&
        request.method() != Method::Bye && request.method() != Method::Prack &&
        request.method() != Method::Update) {
      handler_.on_out_of_dialog(std::move(txn), request, source);
      return;
    }
    txn.respond(481, "Call/Transaction Does Not Exist");
    return;
  }
  if (request.method() == Method::Invite) {
    const std::uint64_t id = next_id_++;
    auto session = std::make_unique<InviteSession>(*this, id, /*is_uac=*/false);
    InviteSession* raw = session.get();
    Key key{std::string(request.call_id()), layer_.ids().tag()};
    raw->local_tag_ = key.second;
    by_id_.emplace(id, key);
    sessions_.emplace(std::move(key), std::move(session));
    raw->start_uas(std::move(txn), request, source);
    return;
  }
  if (request.method() == Method::Bye || request.method() == Method::Prack ||
      request.method() == Method::Update) {
    txn.respond(481, "Call/Transaction Does Not Exist");
    return;
  }
  if (handler_.on_out_of_dialog) {
    handler_.on_out_of_dialog(std::move(txn), request, source);
    return;
  }
  if (request.method() == Method::Options) {
    Message ok = make_response(request, 200);
    ok.set_header(HeaderId::Allow, config_.allow);
    ok.set_header(HeaderId::Supported, "100rel, timer");
    txn.respond(std::move(ok));
    return;
  }
  txn.respond(405);
}

void SessionManager::on_ack(const Message& ack, const Source& source) {
  (void)source;
  const NameAddr* to = ack.to();
  const auto to_tag = to ? to->tag() : std::nullopt;
  if (!to_tag) return;
  if (InviteSession* session = find(ack.call_id(), *to_tag)) session->on_ack(ack);
}

void SessionManager::on_cancel(ServerTransaction invite, const Message& cancel,
                               const Source& source) {
  (void)source;
  auto first = sessions_.lower_bound(Key{std::string(cancel.call_id()), std::string()});
  for (auto it = first; it != sessions_.end() && it->first.first == cancel.call_id(); ++it) {
    if (it->second->owns(invite)) {
      it->second->on_cancel(std::move(invite));
      return;
    }
  }
  invite.respond(487);
}

void SessionManager::on_stray_response(const Message& response, const Source& source) {
  (void)source;
  const NameAddr* from = response.from();
  const auto from_tag = from ? from->tag() : std::nullopt;
  if (!from_tag) return;
  if (InviteSession* session = find(response.call_id(), *from_tag)) session->on_stray_2xx(response);
}

void SessionManager::on_server_failure(ServerTransaction txn, TransactionFailure failure) {
  for (auto& [key, session] : sessions_) {
    if (session->owns(txn)) {
      session->on_server_failure(std::move(txn), failure);
      return;
    }
  }
}

base::Duration SessionManager::glare_backoff(bool owns_call_id) {
  // RFC 3261 14.1: the Call-ID owner waits 2.1-4 s, the other side 0-2 s, in 10 ms units.
  std::uniform_int_distribution<int> units = owns_call_id
                                                 ? std::uniform_int_distribution<int>(210, 400)
                                                 : std::uniform_int_distribution<int>(0, 200);
  return base::Duration(units(rng_) * 10);
}

void SessionManager::session_terminated(InviteSession& session, bool was_established) {
  const std::uint64_t id = session.id();
  if (reap_timers_.contains(id)) return;
  // Even "at once" goes through the timer: the session is still on the call stack.
  const base::Duration linger =
      was_established ? base::Duration::zero() : layer_.config().timers.timeout();
  reap_timers_[id] = timers_.schedule(linger, [this, id] { reap(id); });
}

void SessionManager::reap(std::uint64_t session_id) {
  auto it = by_id_.find(session_id);
  reap_timers_.erase(session_id);
  if (it == by_id_.end()) return;
  sessions_.erase(it->second);
  by_id_.erase(it);
}

}  // namespace kolokol::sip
