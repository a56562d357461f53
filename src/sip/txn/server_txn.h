#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"
#include "sip/transport/transport_sink.h"
#include "sip/txn/transaction_handles.h"
#include "sip/txn/transaction_user.h"
#include "sip/txn/txn_timer.h"

namespace kolokol::sip {

class TransactionLayer;

// Server INVITE (RFC 3261 17.2.1 with the Accepted state of RFC 6026) and server non-INVITE
// (17.2.2) state machines, plus the optional 2xx retransmission of 13.3.1.4 done on the TU's
// behalf (TransactionConfig::retransmit_2xx). Owned by the TransactionLayer through a
// shared_ptr; entry points run with a strong reference held.
class ServerTxn : public std::enable_shared_from_this<ServerTxn> {
 public:
  enum class State { Trying, Proceeding, Completed, Accepted, Confirmed, Terminated };

  ServerTxn(TransactionLayer& layer, TransactionId id, std::string key, Message request,
            Source source);

  bool respond(Message response);
  // A final response after which the transaction ends at once instead of absorbing
  // retransmissions (RFC 3261 8.2.7, a stateless UAS issuing a challenge): a retransmitted
  // request is then a new request and gets a fresh answer. Non-INVITE only.
  bool respond_and_forget(Message response);
  void on_retransmission(const Source& source);
  // An ACK matched by the transaction key. Returns false when the TU must see it (Accepted).
  bool on_ack();
  // The ACK for our 2xx arrived (matched by ack_2xx_key): the 2xx needs no more sending, and
  // what is left of Timer L (absorbing retransmitted INVITEs) moves to the layer's
  // CompletedResponses, so an established call does not hold the INVITE and its 2xx for 32 s.
  void on_ack_for_2xx();

  TransactionId id() const { return id_; }
  State state() const { return state_; }
  bool is_invite() const { return invite_; }
  bool responded() const { return last_response_.has_value(); }
  bool final_sent() const { return state_ != State::Trying && state_ != State::Proceeding; }
  const std::string& key() const { return key_; }
  const Message& request() const { return request_; }
  const Source& source() const { return source_; }
  // The To tag of our responses ("" when none sent or none carried one).
  const std::string& response_to_tag() const { return response_to_tag_; }

  // Secondary keys under which the layer indexes this transaction, removed on termination.
  std::string merge_key;
  std::vector<std::string> ack_2xx_keys;

 private:
  bool reliable() const { return is_reliable(source_.remote.transport); }
  bool respond_invite(Message& response);
  bool respond_non_invite(Message& response);
  void send(const Message& response);
  void resend_last();
  TransportSink::ErrorHandler send_error_handler();
  void on_transport_error(std::string_view reason);
  void on_retransmit_timer();  // G, or the 2xx retransmission
  void on_timer_h();
  void on_timer_l();
  void fail(TransactionFailure failure);
  void terminate();
  // Completed over UDP: hand `response` (empty: absorb silently) to the layer's
  // CompletedResponses and end.
  void retire(std::string response);
  std::function<void()> bind(void (ServerTxn::*member)());

  TransactionLayer& layer_;
  const TransactionId id_;
  const std::string key_;
  const Message request_;
  Source source_;
  const bool invite_;
  State state_;

  std::optional<Message> last_response_;
  std::string response_to_tag_;
  bool ack_for_2xx_received_ = false;
  bool forget_after_final_ = false;
  base::Duration retransmit_interval_{};
  TxnTimer retransmit_timer_;  // G, or 2xx retransmission
  TxnTimer timeout_timer_;     // H, L
  TxnTimer linger_timer_;      // I, J
};

}  // namespace kolokol::sip
