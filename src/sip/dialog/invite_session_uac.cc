// The UAC half of InviteSession: the initial INVITE, its responses, PRACK, ACK and CANCEL.
#include <charconv>

#include "sip/dialog/invite_session.h"
#include "sip/dialog/session_manager.h"
#include "sip/txn/transaction_layer.h"

namespace kolokol::sip {

namespace {

std::optional<std::uint32_t> parse_rseq(const Message& response) {
  const Header* header = response.find(HeaderId::RSeq);
  if (!header) return std::nullopt;
  std::uint32_t value = 0;
  const std::string_view text = header->value;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value == 0) return std::nullopt;
  return value;
}

}  // namespace

void InviteSession::start_uac(Message invite, const Endpoint& destination) {
  const auto& config = manager_.config();
  call_id_ = std::string(invite.call_id());
  local_tag_ = std::string(invite.from()->tag().value_or(""));
  invite_destination_ = destination;
  transport_ = destination.transport;
  add_common_headers(invite);
  if (config.require_100rel) invite.set_header(HeaderId::Require, "100rel");
  if (config.session_expires) {
    requested_session_interval_ = std::max(*config.session_expires, config.min_se);
    invite.set_header(HeaderId::SessionExpires, std::to_string(requested_session_interval_));
    if (config.min_se != kMinSessionExpires) {
      invite.set_header(HeaderId::MinSE, std::to_string(config.min_se));
    }
  }
  if (has_sdp(invite)) oa_.send_offer(invite.body());
  invite_ = std::move(invite);
  send_invite();
}

void InviteSession::send_invite() {
  dialog_set_.emplace(invite_->clone(), transport_ == Transport::Tls);
  invite_cseq_ = invite_->cseq()->number;
  ClientCallbacks callbacks;
  callbacks.on_response = [this](const Message& response) { on_invite_response(response); };
  callbacks.on_timeout = [this] { on_invite_failure(408, nullptr); };
  callbacks.on_transport_error = [this](std::string_view reason) {
    manager_.log().warn("INVITE {} not delivered: {}", call_id_, reason);
    terminate({SessionEndReason::TransportError, 503});
  };
  invite_txn_ =
      manager_.layer().send_request(invite_->clone(), invite_destination_, std::move(callbacks));
  if (!invite_txn_.alive()) {
    terminate({SessionEndReason::TransportError, 503});
    return;
  }
  client_txns_.push_back(invite_txn_);
}

void InviteSession::cancel() {
  if (!is_uac_) return;
  if (state_ != InviteSessionState::Calling && state_ != InviteSessionState::Early) return;
  cancel_requested_ = true;
  invite_txn_.cancel();
}

void InviteSession::on_invite_response(const Message& response) {
  const int status = response.status();
  if (status <= 100) return;
  if (status >= 200 && status < 300) {
    on_invite_2xx(response);
    return;
  }
  if (state_ == InviteSessionState::Terminated) return;
  if (status >= 300) {
    dialog_set_->on_response(response);
    on_invite_failure(status, &response);
    return;
  }
  Dialog* early = dialog_set_->on_response(response);
  if (early && state_ == InviteSessionState::Calling) state_ = InviteSessionState::Early;
  if (early && has_option_tag(response, HeaderId::Require, "100rel") && parse_rseq(response)) {
    if (last_rseq_ && *parse_rseq(response) != *last_rseq_ + 1) return;  // RFC 3262 4: ignore
    on_reliable_provisional(*early, response);
  }
  if (manager_.handler().on_provisional) manager_.handler().on_provisional(*this, response);
}

void InviteSession::on_reliable_provisional(Dialog& early, const Message& response) {
  last_rseq_ = parse_rseq(response);
  std::string prack_body;
  if (has_sdp(response)) {
    if (oa_.state() == OfferAnswer::State::LocalOffer) {
      take_answer(response);
    } else if (oa_.idle() && !oa_.negotiated()) {
      prack_body = answer_offer(response).value_or("");  // offer in the reliable 1xx
    }
  }
  Message prack = early.make_request(Method::Prack);
  prack.set_header(HeaderId::RAck,
                   std::to_string(*last_rseq_) + " " + std::to_string(invite_cseq_) + " INVITE");
  add_common_headers(prack);
  if (!prack_body.empty()) prack.set_body("application/sdp", std::move(prack_body));
  send_dialog_request(early, std::move(prack), {});
}

void InviteSession::on_invite_2xx(const Message& response) {
  const std::uint32_t cseq = response.cseq() ? response.cseq()->number : 0;
  if (cseq != invite_cseq_) {
    if (auto ack = acks_.find(cseq); ack != acks_.end() && dialog_) {
      manager_.layer().send_ack(ack->second, destination_for(*dialog_, ack->second));
    }
    return;
  }
  const NameAddr* to = response.to();
  const auto tag = to ? to->tag() : std::nullopt;
  if (dialog_ && tag && *tag == dialog_->id().remote_tag) {
    if (auto ack = acks_.find(cseq); ack != acks_.end()) {  // a retransmission: same ACK again
      manager_.layer().send_ack(ack->second, destination_for(*dialog_, ack->second));
    }
    return;
  }
  Dialog* answered = dialog_set_->on_response(response);
  if (!answered) return;
  if (dialog_) {
    // Another fork answered too (13.2.2.4): acknowledge it, then end that dialog.
    Message ack = answered->make_ack(cseq);
    manager_.layer().send_ack(ack, destination_for(*answered, ack));
    Message bye = answered->make_request(Method::Bye);
    add_common_headers(bye);
    send_dialog_request(*answered, std::move(bye), {});
    answered->terminate();
    return;
  }
  dialog_ = answered;
  peer_allows_update_ = has_option_tag(response, HeaderId::Allow, "UPDATE");
  std::string ack_body;
  if (has_sdp(response)) {
    if (oa_.state() == OfferAnswer::State::LocalOffer) {
      take_answer(response);
    } else if (oa_.idle() && !oa_.negotiated()) {
      ack_body = answer_offer(response).value_or("");  // offer in the 2xx, answer in the ACK
    }
  }
  send_ack_for(response, cseq, std::move(ack_body));
  if (state_ == InviteSessionState::Terminated) {
    Message bye = dialog_->make_request(Method::Bye);  // the session already ended locally
    add_common_headers(bye);
    send_dialog_request(*dialog_, std::move(bye), {});
    dialog_->terminate();
    return;
  }
  if (cancel_requested_) {
    // The CANCEL lost the race against the 2xx: the call exists now, so end it with BYE.
    state_ = InviteSessionState::Established;
    send_bye(SessionEndReason::Cancelled);
    return;
  }
  state_ = InviteSessionState::Established;
  apply_session_timer(response, /*we_sent_request=*/true);
  if (manager_.handler().on_established) manager_.handler().on_established(*this);
}

void InviteSession::on_invite_failure(int status, const Message* response) {
  if (state_ == InviteSessionState::Terminated) return;
  if (status == 422 && response && session_interval_retries_ < 2) {
    // RFC 4028 6: retry with the Min-SE the UAS asked for.
    if (auto min_se = min_se_of(*response); min_se && *min_se > requested_session_interval_) {
      ++session_interval_retries_;
      requested_session_interval_ = *min_se;
      CSeq next = *invite_->cseq();
      ++next.number;
      invite_->set_cseq(next);
      invite_->set_header(HeaderId::SessionExpires, std::to_string(*min_se));
      invite_->set_header(HeaderId::MinSE, std::to_string(*min_se));
      oa_.rollback();
      if (has_sdp(*invite_)) oa_.send_offer(invite_->body());
      last_rseq_.reset();
      state_ = InviteSessionState::Calling;
      send_invite();
      return;
    }
  }
  SessionEndReason reason = SessionEndReason::Rejected;
  if (cancel_requested_ && status == 487) reason = SessionEndReason::Cancelled;
  if (!response && status == 408) reason = SessionEndReason::Timeout;
  oa_.rollback();
  terminate({reason, status});
}

void InviteSession::on_stray_2xx(const Message& response) {
  if (!is_uac_) return;
  on_invite_2xx(response);
}

}  // namespace kolokol::sip
