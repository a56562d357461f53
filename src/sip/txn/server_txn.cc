#include "sip/txn/server_txn.h"

#include <algorithm>
#include <utility>

#include "sip/txn/transaction_keys.h"
#include "sip/txn/transaction_layer.h"
#include "sip/txn/transaction_metrics.h"

namespace kolokol::sip {

ServerTxn::ServerTxn(TransactionLayer& layer, TransactionId id, std::string key, Message request,
                     Source source)
    : layer_(layer),
      id_(id),
      key_(std::move(key)),
      request_(std::move(request)),
      source_(std::move(source)),
      invite_(request_.method() == Method::Invite),
      state_(invite_ ? State::Proceeding : State::Trying),
      retransmit_timer_(layer.timers_),
      timeout_timer_(layer.timers_),
      linger_timer_(layer.timers_) {}

std::function<void()> ServerTxn::bind(void (ServerTxn::*member)()) {
  return [weak = weak_from_this(), member] {
    if (auto self = weak.lock()) ((*self).*member)();
  };
}

bool ServerTxn::respond(Message response) {
  if (!response.is_response() || response.status() < 100 || response.status() > 699) {
    layer_.log_.warn("server transaction {}: respond() with a request or a bad status", id_);
    return false;
  }
  if (state_ == State::Terminated) return false;
  const bool sent = invite_ ? respond_invite(response) : respond_non_invite(response);
  if (!sent) {
    layer_.log_.debug("server transaction {}: {} ignored, final response already sent", id_,
                      response.status());
  }
  return sent;
}

bool ServerTxn::respond_and_forget(Message response) {
  if (invite_ || !response.is_response() || response.status() < 200) {
    layer_.log_.warn(
        "server transaction {}: respond_and_forget() needs a final response to a "
        "non-INVITE request",
        id_);
    return false;
  }
  forget_after_final_ = true;
  return respond(std::move(response));
}

bool ServerTxn::respond_invite(Message& response) {
  const int status = response.status();
  const TransactionTimers& timers = layer_.config_.timers;
  if (state_ == State::Accepted) {
    // RFC 6026 8.5: further 2xx from the TU pass through (the TU's own retransmissions).
    if (status < 200 || status >= 300) return false;
    send(response);
    last_response_.emplace(std::move(response));
    return true;
  }
  if (state_ != State::Proceeding) return false;

  send(response);
  last_response_.emplace(std::move(response));
  if (status < 200) return true;

  if (status < 300) {
    state_ = State::Accepted;
    timeout_timer_.start(timers.timeout(), bind(&ServerTxn::on_timer_l));
    if (layer_.config_.retransmit_2xx) {
      layer_.index_ack_2xx(*this, *last_response_);
      if (!reliable()) {
        retransmit_interval_ = timers.t1;
        retransmit_timer_.start(retransmit_interval_, bind(&ServerTxn::on_retransmit_timer));
      }
    }
    return true;
  }

  state_ = State::Completed;
  if (!reliable()) {
    retransmit_interval_ = timers.t1;
    retransmit_timer_.start(retransmit_interval_, bind(&ServerTxn::on_retransmit_timer));  // G
  }
  timeout_timer_.start(timers.timeout(), bind(&ServerTxn::on_timer_h));
  return true;
}

bool ServerTxn::respond_non_invite(Message& response) {
  if (state_ != State::Trying && state_ != State::Proceeding) return false;
  const int status = response.status();
  send(response);
  last_response_.emplace(std::move(response));
  if (status < 200) {
    state_ = State::Proceeding;
    return true;
  }
  state_ = State::Completed;
  if (reliable() || forget_after_final_) {
    terminate();
  } else {
    retire(last_response_->to_string());  // Timer J runs in the layer's CompletedResponses
  }
  return true;
}

void ServerTxn::send(const Message& response) {
  if (std::string_view tag = to_tag_of(response); !tag.empty()) response_to_tag_ = tag;
  layer_.transport_.send_response(response, source_, send_error_handler());
}

void ServerTxn::resend_last() {
  if (!last_response_) return;
  layer_.metrics_->retransmissions_out.inc();
  layer_.transport_.send_response(*last_response_, source_, send_error_handler());
}

TransportSink::ErrorHandler ServerTxn::send_error_handler() {
  return
      [weak = weak_from_this(), layer = &layer_, layer_alive = std::weak_ptr<int>(layer_.lifetime_),
       id = id_, invite = invite_](std::string_view reason) {
        if (auto self = weak.lock(); self && self->state_ != State::Terminated) {
          self->on_transport_error(reason);
          return;
        }
        // A non-INVITE transaction over TCP/TLS terminates as soon as its final response is handed
        // to the transport (Timer J is 0), before a failure can come back: the TU still hears of
        // it. An INVITE transaction only terminates after its response was ACKed, or timed out.
        if (!invite && !layer_alive.expired()) layer->report_lost_response(id, reason);
      };
}

// RFC 3261 17.2.4: the response could not be delivered (connection gone and a new one to the
// Via sent-by refused, ICMP error, no route). 17.2.4 also allows retrying at the next address
// RFC 3263 section 5 yields for the sent-by; we do not resolve names for responses, so the
// transaction reports the failure to the TU and terminates at once.
void ServerTxn::on_transport_error(std::string_view reason) {
  // The ACK proves the final response arrived; a lost retransmission changes nothing then.
  if (state_ == State::Confirmed || ack_for_2xx_received_) return;
  layer_.log_.info("server transaction {}: response to {} lost: {}", id_,
                   source_.remote.to_string(), reason);
  fail(TransactionFailure::TransportError);
}

void ServerTxn::on_retransmission(const Source& source) {
  layer_.metrics_->retransmissions_in.inc();
  source_ = source;  // a retransmission over a new connection: answer there
  switch (state_) {
    case State::Proceeding:
    case State::Completed:
      resend_last();
      break;
    case State::Accepted:
      // RFC 6026 absorbs it; re-sending the 2xx is the TU's part we do when asked to.
      if (layer_.config_.retransmit_2xx && !ack_for_2xx_received_) resend_last();
      break;
    default:  // Trying (nothing to re-send yet), Confirmed, Terminated: absorbed
      break;
  }
}

bool ServerTxn::on_ack() {
  if (!invite_) return true;
  if (state_ == State::Accepted) return false;
  if (state_ != State::Completed) {
    if (state_ == State::Confirmed) layer_.metrics_->retransmissions_in.inc();
    return true;
  }
  state_ = State::Confirmed;
  retransmit_timer_.stop();
  timeout_timer_.stop();
  if (reliable()) {
    terminate();
  } else {
    linger_timer_.start(layer_.config_.timers.t4, bind(&ServerTxn::terminate));  // Timer I
  }
  return true;
}

void ServerTxn::on_retransmit_timer() {
  const bool timer_g = state_ == State::Completed;
  const bool retransmit_2xx = state_ == State::Accepted && !ack_for_2xx_received_;
  if (!timer_g && !retransmit_2xx) return;
  retransmit_interval_ = std::min(retransmit_interval_ * 2, layer_.config_.timers.t2);
  retransmit_timer_.start(retransmit_interval_, bind(&ServerTxn::on_retransmit_timer));
  resend_last();
}

void ServerTxn::on_timer_h() {
  if (state_ != State::Completed) return;
  layer_.log_.info("server transaction {}: no ACK for {} (Timer H)", id_,
                   last_response_ ? last_response_->status() : 0);
  fail(TransactionFailure::Timeout);
}

void ServerTxn::on_timer_l() {
  if (state_ != State::Accepted) return;
  if (layer_.config_.retransmit_2xx && !ack_for_2xx_received_) {
    layer_.log_.info("server transaction {}: 2xx never acknowledged", id_);
    fail(TransactionFailure::NoAck);
    return;
  }
  terminate();
}

void ServerTxn::fail(TransactionFailure failure) {
  if (failure != TransactionFailure::TransportError) layer_.metrics_->timeouts.inc();
  terminate();
  if (layer_.user_ != nullptr) {
    layer_.user_->on_server_failure(layer_.handle_of(*this), failure);
  }
}

void ServerTxn::retire(std::string response) {
  state_ = State::Terminated;
  retransmit_timer_.stop();
  timeout_timer_.stop();
  linger_timer_.stop();
  layer_.retired(*this, std::move(response));
}

void ServerTxn::on_ack_for_2xx() {
  ack_for_2xx_received_ = true;
  retransmit_timer_.stop();
  // Over TCP/TLS no INVITE is retransmitted: Timer L only waits; end now.
  if (state_ == State::Accepted) reliable() ? terminate() : retire({});
}

void ServerTxn::terminate() {
  if (state_ == State::Terminated) return;
  state_ = State::Terminated;
  retransmit_timer_.stop();
  timeout_timer_.stop();
  linger_timer_.stop();
  layer_.terminated(*this);
}

}  // namespace kolokol::sip
