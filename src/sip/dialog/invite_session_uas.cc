// The UAS half of InviteSession: answering the INVITE, reliable provisionals (RFC 3262), the
// 2xx retransmission until ACK (RFC 3261 13.3.1.4) and CANCEL.
#include <charconv>

#include "sip/dialog/invite_session.h"
#include "sip/dialog/session_manager.h"
#include "sip/dialog/uri_endpoint.h"
#include "sip/txn/transaction_layer.h"

namespace kolokol::sip {

namespace {

struct RAck {
  std::uint32_t rseq = 0;
  std::uint32_t cseq = 0;
  std::string method;
};

std::optional<RAck> parse_rack(const Message& prack) {
  const Header* header = prack.find(HeaderId::RAck);
  if (!header) return std::nullopt;
  std::string_view text = header->value;
  RAck rack;
  auto number = [&text](std::uint32_t& out) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc()) return false;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return true;
  };
  if (!number(rack.rseq) || !number(rack.cseq)) return std::nullopt;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  rack.method = std::string(text);
  return rack;
}

// Require option tags we understand; anything else in a Require gets 420 (RFC 3261 8.2.2.3).
bool supported_option(std::string_view tag) {
  return tag == "100rel" || tag == "timer";
}

}  // namespace

void InviteSession::start_uas(ServerTransaction txn, const Message& invite, const Source& source) {
  const auto& config = manager_.config();
  invite_stx_ = std::move(txn);
  invite_ = invite.clone();
  invite_source_ = source;
  call_id_ = std::string(invite.call_id());
  transport_ = source.remote.transport;
  if (is_reliable(transport_)) flow_ = source.remote;

  std::string unsupported;
  for (std::string_view tag : invite.values(HeaderId::Require)) {
    if (!supported_option(tag) || (tag == "100rel" && !config.support_100rel)) {
      unsupported += unsupported.empty() ? std::string(tag) : ", " + std::string(tag);
    }
  }
  if (!unsupported.empty()) {
    Message bad = make_response(invite, 420, {}, local_tag_);
    bad.set_header(HeaderId::Unsupported, unsupported);
    invite_stx_.respond(std::move(bad));
    terminate({SessionEndReason::Rejected, 420});
    return;
  }
  uac_requires_100rel_ = has_option_tag(invite, HeaderId::Require, "100rel");
  uac_supports_100rel_ =
      uac_requires_100rel_ || has_option_tag(invite, HeaderId::Supported, "100rel");
  peer_allows_update_ = has_option_tag(invite, HeaderId::Allow, "UPDATE");

  if (auto se = session_expires_of(invite); se && se->interval < config.min_se) {
    Message too_small = make_response(invite, 422, "Session Interval Too Small", local_tag_);
    too_small.set_header(HeaderId::MinSE, std::to_string(config.min_se));
    invite_stx_.respond(std::move(too_small));
    terminate({SessionEndReason::Rejected, 422});
    return;
  }

  const NameAddr contact =
      config.local_contact ? config.local_contact(source) : contact_for_endpoint(source.local);
  auto dialog = Dialog::create_uas(invite, local_tag_, contact, transport_ == Transport::Tls);
  if (!dialog) {
    invite_stx_.respond(make_response(invite, 400, dialog.error(), local_tag_));
    terminate({SessionEndReason::Rejected, 400});
    return;
  }
  uas_dialog_.emplace(std::move(*dialog));
  dialog_ = &*uas_dialog_;
  if (has_sdp(invite)) oa_.receive_offer(invite.body());

  if (manager_.handler().on_incoming) {
    manager_.handler().on_incoming(*this, invite);
  } else {
    reject(480);
  }
}

bool InviteSession::owns(const ServerTransaction& txn) const {
  return txn.id() != 0 &&
         (txn == invite_stx_ || txn == pending_2xx_txn_ || txn == incoming_reinvite_);
}

Message InviteSession::build_uas_response(int status) {
  Message response = make_response(*invite_, status, {}, local_tag_);
  if (status < 300) response.set_header(HeaderId::Contact, dialog_->local_contact().to_string());
  add_common_headers(response);
  return response;
}

void InviteSession::provisional(int status, std::string_view early_sdp) {
  if (is_uac_ || status <= 100 || status >= 200) return;
  if (state_ != InviteSessionState::Incoming && state_ != InviteSessionState::Early) return;
  state_ = InviteSessionState::Early;
  const auto& config = manager_.config();
  const bool reliable = config.support_100rel &&
                        (uac_requires_100rel_ || (uac_supports_100rel_ && config.prefer_100rel));
  Message response = build_uas_response(status);
  if (!reliable) {
    if (!early_sdp.empty()) response.set_body("application/sdp", std::string(early_sdp));
    invite_stx_.respond(std::move(response));
    return;
  }
  response.set_header(HeaderId::Require, "100rel");
  response.set_header(HeaderId::RSeq, std::to_string(next_rseq_++));
  // Early offer/answer (RFC 3262 5): the first reliable provisional answers the INVITE's offer,
  // or makes the offer when the INVITE had none.
  if (oa_.state() == OfferAnswer::State::RemoteOffer) {
    auto answer = answer_pending_offer();
    if (!answer) {
      reject(488, "Not Acceptable Here");
      return;
    }
    response.set_body("application/sdp", *answer);
  } else if (oa_.idle() && !oa_.negotiated()) {
    std::string offer = current_offer();
    if (!offer.empty() && oa_.send_offer(offer)) response.set_body("application/sdp", offer);
  }
  if (unacked_reliable_) {
    queued_reliable_ = std::move(response);  // one unacknowledged reliable provisional at a time
    return;
  }
  send_reliable(std::move(response));
}

void InviteSession::send_reliable(Message response) {
  unacked_reliable_ = response.clone();
  invite_stx_.respond(std::move(response));
  reliable_interval_ = manager_.layer().config().timers.t1;
  reliable_deadline_ = manager_.timers().now() + manager_.layer().config().timers.timeout();
  stop_timer(reliable_timer_);
  reliable_timer_ = start_timer(reliable_interval_, [this] {
    reliable_timer_ = base::kNoTimer;
    reliable_retransmit();
  });
}

void InviteSession::reliable_retransmit() {
  if (!unacked_reliable_) return;
  const base::TimePoint now = manager_.timers().now();
  if (now >= reliable_deadline_) {
    // RFC 3262 3: never PRACKed within 64*T1, so reject the INVITE with a 5xx.
    unacked_reliable_.reset();
    queued_reliable_.reset();
    accept_pending_ = false;
    reject(504, "Reliable Provisional Not Acknowledged");
    return;
  }
  invite_stx_.respond(unacked_reliable_->clone());
  reliable_interval_ *= 2;
  const auto until_deadline = std::chrono::duration_cast<base::Duration>(reliable_deadline_ - now);
  reliable_timer_ = start_timer(std::min(reliable_interval_, until_deadline), [this] {
    reliable_timer_ = base::kNoTimer;
    reliable_retransmit();
  });
}

void InviteSession::on_prack(ServerTransaction txn, const Message& request) {
  auto rack = parse_rack(request);
  const Header* rseq = unacked_reliable_ ? unacked_reliable_->find(HeaderId::RSeq) : nullptr;
  if (!rack || !rseq || std::to_string(rack->rseq) != rseq->value ||
      rack->cseq != invite_->cseq()->number || rack->method != "INVITE") {
    txn.respond(481, "Call/Transaction Does Not Exist");  // RFC 3262 3: no match
    return;
  }
  stop_timer(reliable_timer_);
  unacked_reliable_.reset();
  Message ok = make_response(request, 200);
  if (has_sdp(request)) {
    if (oa_.state() == OfferAnswer::State::LocalOffer) {
      take_answer(request);
    } else if (oa_.idle()) {
      if (auto answer = answer_offer(request)) ok.set_body("application/sdp", *answer);
    }
  }
  txn.respond(std::move(ok));
  if (queued_reliable_) {
    Message next = std::move(*queued_reliable_);
    queued_reliable_.reset();
    send_reliable(std::move(next));
  } else if (accept_pending_) {
    send_2xx_now();
  }
}

void InviteSession::accept() {
  if (is_uac_) return;
  if (state_ != InviteSessionState::Incoming && state_ != InviteSessionState::Early) return;
  if (unacked_reliable_ || queued_reliable_) {
    accept_pending_ = true;  // the 2xx follows the PRACK
    return;
  }
  send_2xx_now();
}

void InviteSession::send_2xx_now() {
  accept_pending_ = false;
  const auto& config = manager_.config();
  Message ok = build_uas_response(200);
  if (oa_.state() == OfferAnswer::State::RemoteOffer) {
    auto answer = answer_pending_offer();
    if (!answer) {
      reject(488, "Not Acceptable Here");
      return;
    }
    ok.set_body("application/sdp", *answer);
  } else if (oa_.idle() && !oa_.negotiated()) {
    std::string offer = current_offer();
    if (!offer.empty() && oa_.send_offer(offer)) ok.set_body("application/sdp", offer);
  }
  if (auto timer = answer_session_timer(*invite_, config.session_expires, config.min_se)) {
    ok.set_header(HeaderId::SessionExpires, timer->expires.to_string());
    if (timer->require_timer) ok.set_header(HeaderId::Require, "timer");
    session_interval_ = timer->expires.interval;
    we_refresh_ = timer->expires.refresher == Refresher::Uas;
  }
  state_ = InviteSessionState::Accepted;
  dialog_->confirm();
  send_2xx(invite_stx_, std::move(ok), invite_source_);
}

void InviteSession::send_2xx(ServerTransaction txn, Message response, const Source& source) {
  stop_timer(retransmit_timer_);
  sent_2xx_ = response.clone();
  pending_2xx_txn_ = txn;
  pending_2xx_source_ = txn.source() ? *txn.source() : source;
  txn.respond(std::move(response));
  if (manager_.layer().config().retransmit_2xx) return;  // the layer retransmits, reports NoAck
  retransmit_interval_ = manager_.layer().config().timers.t1;
  retransmit_deadline_ = manager_.timers().now() + manager_.layer().config().timers.timeout();
  retransmit_timer_ = start_timer(retransmit_interval_, [this] {
    retransmit_timer_ = base::kNoTimer;
    retransmit_2xx();
  });
}

void InviteSession::retransmit_2xx() {
  if (!sent_2xx_) return;
  const auto& timers = manager_.layer().config().timers;
  const base::TimePoint now = manager_.timers().now();
  if (now >= retransmit_deadline_) {
    sent_2xx_.reset();
    if (state_ == InviteSessionState::Accepted) state_ = InviteSessionState::Established;
    send_bye(SessionEndReason::NoAck);  // RFC 3261 13.3.1.4
    return;
  }
  if (!pending_2xx_txn_.respond(sent_2xx_->clone())) {
    manager_.layer().send_response_stateless(*sent_2xx_, pending_2xx_source_);
  }
  retransmit_interval_ = std::min(retransmit_interval_ * 2, timers.t2);
  const auto until_deadline =
      std::chrono::duration_cast<base::Duration>(retransmit_deadline_ - now);
  retransmit_timer_ = start_timer(std::min(retransmit_interval_, until_deadline), [this] {
    retransmit_timer_ = base::kNoTimer;
    retransmit_2xx();
  });
}

void InviteSession::on_ack(const Message& ack) {
  if (!sent_2xx_ || !ack.cseq() || !sent_2xx_->cseq() ||
      ack.cseq()->number != sent_2xx_->cseq()->number) {
    return;  // a retransmitted ACK, or one for something we never accepted
  }
  sent_2xx_.reset();
  stop_timer(retransmit_timer_);
  if (oa_.state() == OfferAnswer::State::LocalOffer) {
    if (has_sdp(ack)) {
      take_answer(ack);
    } else {
      oa_.rollback();  // offer in the 2xx never answered
    }
  }
  if (state_ == InviteSessionState::Accepted) {
    state_ = InviteSessionState::Established;
    arm_session_timer();
    if (manager_.handler().on_established) manager_.handler().on_established(*this);
  }
}

void InviteSession::on_cancel(ServerTransaction invite) {
  if (!(invite == invite_stx_)) return;
  if (state_ != InviteSessionState::Incoming && state_ != InviteSessionState::Early) return;
  invite_stx_.respond(make_response(*invite_, 487, {}, local_tag_));
  terminate({SessionEndReason::Cancelled, 487});
}

void InviteSession::reject(int status, std::string_view reason) {
  if (is_uac_ || status < 300) return;
  if (state_ != InviteSessionState::Incoming && state_ != InviteSessionState::Early) return;
  Message response = make_response(*invite_, status, reason, local_tag_);
  add_common_headers(response);
  invite_stx_.respond(std::move(response));
  terminate({SessionEndReason::Rejected, status});
}

void InviteSession::on_server_failure(ServerTransaction txn, TransactionFailure failure) {
  (void)txn;
  if (failure == TransactionFailure::NoAck && state_ != InviteSessionState::Terminated) {
    sent_2xx_.reset();
    if (state_ == InviteSessionState::Accepted) state_ = InviteSessionState::Established;
    send_bye(SessionEndReason::NoAck);
  } else if (failure == TransactionFailure::TransportError) {
    terminate({SessionEndReason::TransportError, 0});
  }
}

}  // namespace kolokol::sip
