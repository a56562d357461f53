#include "sip/txn/client_txn.h"

#include <algorithm>
#include <utility>

#include "sip/txn/request_builders.h"
#include "sip/txn/transaction_keys.h"
#include "sip/txn/transaction_layer.h"
#include "sip/txn/transaction_metrics.h"

namespace kolokol::sip {

ClientTxn::ClientTxn(TransactionLayer& layer, TransactionId id, std::string key, Message request,
                     Endpoint destination, ClientCallbacks callbacks)
    : layer_(layer),
      id_(id),
      key_(std::move(key)),
      request_(std::move(request)),
      method_(request_method(*request_)),
      destination_(std::move(destination)),
      callbacks_(std::move(callbacks)),
      invite_(request_->method() == Method::Invite),
      state_(invite_ ? State::Calling : State::Trying),
      retransmit_timer_(layer.timers_),
      timeout_timer_(layer.timers_),
      linger_timer_(layer.timers_) {}

std::function<void()> ClientTxn::bind(void (ClientTxn::*member)()) {
  return [weak = weak_from_this(), member] {
    if (auto self = weak.lock()) ((*self).*member)();
  };
}

void ClientTxn::start() {
  const TransactionTimers& timers = layer_.config_.timers;
  if (!reliable()) {
    retransmit_interval_ = timers.t1;
    retransmit_timer_.start(retransmit_interval_, bind(&ClientTxn::on_retransmit_timer));
  }
  timeout_timer_.start(timers.timeout(), bind(&ClientTxn::on_timeout_timer));
  send(*request_);
}

void ClientTxn::send(Message& message) {
  layer_.transport_.send_request(message, destination_,
                                 [weak = weak_from_this()](std::string_view reason) {
                                   if (auto self = weak.lock()) self->on_transport_error(reason);
                                 });
}

void ClientTxn::on_transport_error(std::string_view reason) {
  // After a final response a lost ACK or retransmission changes nothing for the TU.
  if (state_ != State::Calling && state_ != State::Trying && state_ != State::Proceeding) return;
  layer_.log_.info("client transaction {} ({} {}): transport error: {}", id_, method_,
                   destination_.to_string(), reason);
  auto callback = callbacks_.on_transport_error;
  terminate();
  if (callback) callback(reason);
}

void ClientTxn::on_retransmit_timer() {
  const TransactionTimers& timers = layer_.config_.timers;
  if (state_ == State::Calling) {
    retransmit_interval_ *= 2;  // Timer A doubles without a cap (17.1.1.2)
  } else if (state_ == State::Trying) {
    retransmit_interval_ = std::min(retransmit_interval_ * 2, timers.t2);
  } else if (state_ == State::Proceeding && !invite_) {
    retransmit_interval_ = timers.t2;
  } else {
    return;
  }
  layer_.metrics_->retransmissions_out.inc();
  retransmit_timer_.start(retransmit_interval_, bind(&ClientTxn::on_retransmit_timer));
  send(*request_);
}

void ClientTxn::on_timeout_timer() {
  if (state_ != State::Calling && state_ != State::Trying && state_ != State::Proceeding) return;
  layer_.log_.info("client transaction {} ({} to {}) timed out", id_, method_,
                   destination_.to_string());
  layer_.metrics_->timeouts.inc();
  auto callback = callbacks_.on_timeout;
  terminate();
  if (callback) callback();
}

void ClientTxn::on_response(const Message& response, const Source& source) {
  if (state_ == State::Terminated) return;
  if (invite_) {
    on_invite_response(response, source);
  } else {
    on_non_invite_response(response);
  }
}

void ClientTxn::on_invite_response(const Message& response, const Source& source) {
  const int status = response.status();
  const TransactionTimers& timers = layer_.config_.timers;
  const bool undecided = state_ == State::Calling || state_ == State::Proceeding;

  if (status < 200) {
    if (!undecided) return;
    // In Proceeding an INVITE may ring for minutes: Timer B stops, the TU decides (CANCEL).
    retransmit_timer_.stop();
    if (!cancel_requested_) timeout_timer_.stop();  // else the CANCEL give-up timer runs
    const bool first_provisional = state_ == State::Calling;
    state_ = State::Proceeding;
    if (first_provisional && cancel_requested_) send_cancel();
    deliver(response);
    return;
  }

  if (status < 300) {
    if (state_ == State::Completed) {
      // A 2xx from another fork after a non-2xx: the dialog layer may still need to ACK it.
      if (layer_.user_ != nullptr) layer_.user_->on_stray_response(response, source);
      return;
    }
    if (undecided) {
      retransmit_timer_.stop();
      timeout_timer_.stop();
      state_ = State::Accepted;  // RFC 6026 7.2: absorb nothing, pass every 2xx to the TU
      linger_timer_.start(timers.timeout(), bind(&ClientTxn::terminate));  // Timer M
      // Nothing is sent from here on (no CANCEL, no retransmission): for the 32 s of Timer M
      // the transaction needs its key, not the INVITE.
      request_.reset();
    }
    deliver(response);
    return;
  }

  if (state_ == State::Completed) {
    layer_.metrics_->retransmissions_in.inc();
    if (ack_) send(*ack_);
    return;
  }
  if (!undecided) return;  // a non-2xx after a 2xx: nothing to do
  retransmit_timer_.stop();
  timeout_timer_.stop();
  state_ = State::Completed;
  ack_.emplace(make_ack_for_non_2xx(*request_, response));
  send(*ack_);
  deliver(response);
  if (state_ != State::Completed) return;
  if (reliable()) {
    terminate();
  } else {
    linger_timer_.start(timers.timer_d(), bind(&ClientTxn::terminate));  // Timer D
  }
}

void ClientTxn::on_non_invite_response(const Message& response) {
  const int status = response.status();
  if (state_ == State::Completed) {
    layer_.metrics_->retransmissions_in.inc();  // absorbed (17.1.2.2)
    return;
  }
  if (state_ != State::Trying && state_ != State::Proceeding) return;
  if (status < 200) {
    state_ = State::Proceeding;
    deliver(response);
    return;
  }
  retransmit_timer_.stop();
  timeout_timer_.stop();
  state_ = State::Completed;
  deliver(response);
  if (state_ != State::Completed) return;
  if (reliable()) {
    terminate();
  } else {
    linger_timer_.start(layer_.config_.timers.t4, bind(&ClientTxn::terminate));  // Timer K
  }
}

bool ClientTxn::cancel(ClientCallbacks callbacks) {
  if (!invite_ || cancel_requested_) return false;
  if (state_ != State::Calling && state_ != State::Proceeding) return false;
  cancel_requested_ = true;
  cancel_callbacks_ = std::move(callbacks);
  if (state_ == State::Proceeding) send_cancel();  // else when the first provisional arrives
  return true;
}

void ClientTxn::send_cancel() {
  layer_.send_request(make_cancel(*request_), destination_, std::move(cancel_callbacks_));
  cancel_callbacks_ = {};
  // 9.1: without a final response 64*T1 after the CANCEL, consider the INVITE cancelled.
  timeout_timer_.start(layer_.config_.timers.timeout(), bind(&ClientTxn::on_timeout_timer));
}

void ClientTxn::deliver(const Message& response) {
  auto callback = callbacks_.on_response;  // a copy: the TU may detach() from inside it
  if (callback) callback(response);
}

void ClientTxn::terminate() {
  if (state_ == State::Terminated) return;
  state_ = State::Terminated;
  retransmit_timer_.stop();
  timeout_timer_.stop();
  linger_timer_.stop();
  layer_.terminated(*this);
}

}  // namespace kolokol::sip
