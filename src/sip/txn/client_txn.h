#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"
#include "sip/txn/transaction_handles.h"
#include "sip/txn/transaction_user.h"
#include "sip/txn/txn_timer.h"

namespace kolokol::sip {

class TransactionLayer;

// Client INVITE (RFC 3261 17.1.1 with the Accepted state of RFC 6026) and client non-INVITE
// (17.1.2) state machines. Owned by the TransactionLayer through a shared_ptr; every entry point
// is called with a strong reference held, so terminate() may release the layer's reference.
class ClientTxn : public std::enable_shared_from_this<ClientTxn> {
 public:
  enum class State { Calling, Trying, Proceeding, Completed, Accepted, Terminated };

  ClientTxn(TransactionLayer& layer, TransactionId id, std::string key, Message request,
            Endpoint destination, ClientCallbacks callbacks);

  void start();
  void on_response(const Message& response, const Source& source);
  bool cancel(ClientCallbacks callbacks);
  void detach() { callbacks_ = {}; }

  TransactionId id() const { return id_; }
  State state() const { return state_; }
  bool is_invite() const { return invite_; }
  const std::string& key() const { return key_; }
  // nullptr once a 2xx arrived (Accepted keeps only what matching needs).
  const Message* request() const { return request_ ? &*request_ : nullptr; }

 private:
  bool reliable() const { return is_reliable(destination_.transport); }
  void send(Message& message);
  void on_transport_error(std::string_view reason);
  void on_retransmit_timer();  // A or E
  void on_timeout_timer();     // B, F or the CANCEL give-up timer
  void on_invite_response(const Message& response, const Source& source);
  void on_non_invite_response(const Message& response);
  void send_cancel();
  void deliver(const Message& response);
  void terminate();
  // Runs the member on a strong reference when the timer fires.
  std::function<void()> bind(void (ClientTxn::*member)());

  TransactionLayer& layer_;
  const TransactionId id_;
  const std::string key_;
  std::optional<Message> request_;
  const std::string method_;
  const Endpoint destination_;
  ClientCallbacks callbacks_;
  const bool invite_;
  State state_;

  std::optional<Message> ack_;  // for a non-2xx final, re-sent on each retransmission of it
  base::Duration retransmit_interval_{};
  TxnTimer retransmit_timer_;  // A / E
  TxnTimer timeout_timer_;     // B / F / CANCEL give-up (9.1)
  TxnTimer linger_timer_;      // D / K / M

  bool cancel_requested_ = false;
  ClientCallbacks cancel_callbacks_;
};

}  // namespace kolokol::sip
