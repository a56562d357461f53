#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/log.h"
#include "base/metrics.h"
#include "base/timer_service.h"
#include "sip/msg/ids.h"
#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"
#include "sip/transport/incoming_message.h"
#include "sip/transport/transport_sink.h"
#include "sip/txn/completed_responses.h"
#include "sip/txn/transaction_config.h"
#include "sip/txn/transaction_handles.h"
#include "sip/txn/transaction_user.h"

namespace kolokol::sip {

class TransactionMetrics;

// The SIP transaction layer (RFC 3261 section 17, RFC 6026): client and server, INVITE and
// non-INVITE state machines, request/response matching (17.1.3, 17.2.3 and the RFC 2543
// fallback), retransmission absorption, CANCEL matching (9.2) and merged-request detection
// (8.2.2.2).
//
// Single-threaded: construct, call and destroy it on one thread (the SIP io thread); timers come
// from the TimerService (ManualTimerService in tests), messages leave through the TransportSink.
// Transactions are destroyed as soon as they terminate; handles held by the TU then go inert.
//
// Metrics: sip_transactions_total{kind=client_invite|client_non_invite|server_invite|
// server_non_invite}, sip_transactions_active, sip_transaction_timeouts_total,
// sip_retransmissions_total{direction=in|out} (in: absorbed retransmissions of the peer,
// out: our own), sip_transaction_dropped_total{reason}.
class TransactionLayer {
 public:
  TransactionLayer(base::TimerService& timers, TransportSink& transport,
                   base::MetricsRegistry& metrics, base::Logger log, TransactionConfig config = {});
  ~TransactionLayer();
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;

  // The TU may be built after the layer (it usually holds a TransactionLayer&). Until one is
  // set, new requests are answered 503 and stray messages dropped. nullptr detaches.
  void set_user(TransactionUser* user) { user_ = user; }

  // Entry point from the transport layer: a parsed request or response.
  void on_message(IncomingMessage incoming);
  void on_message(Message message, const Source& source);

  // Starts a client transaction (INVITE or non-INVITE; never ACK: use send_ack()). If the
  // request has no Via, a top Via is pushed (transport filled from destination, sent-by left to
  // the transport, branch from the IdGenerator); if its top Via has no branch one is added; a
  // caller-provided branch is kept (a proxy pushes its own Via first). The request must carry
  // Call-ID, CSeq, From and To. Returns an empty handle (and calls nothing) when it cannot be
  // sent: no CSeq, ACK, or a branch already in use.
  ClientTransaction send_request(Message request, const Endpoint& destination,
                                 ClientCallbacks callbacks);

  // Sends an ACK for a 2xx (13.2.2.4), outside any transaction; a new top Via/branch is added as
  // for send_request() unless the ACK has a top Via with a branch (retransmitted ACKs reuse it).
  void send_ack(Message& ack, const Endpoint& destination,
                TransportSink::ErrorHandler on_error = {});
  // Sends a response outside any transaction (the TU retransmitting a 2xx itself).
  void send_response_stateless(const Message& response, const Source& destination);

  const TransactionConfig& config() const { return config_; }
  std::size_t active_transactions() const { return clients_.size() + active_server_transactions(); }
  std::size_t active_client_transactions() const { return clients_.size(); }
  // Includes completed non-INVITE transactions kept only as their response (CompletedResponses).
  std::size_t active_server_transactions() const { return servers_.size() + completed_.size(); }
  // Transactions still waiting for a final response (ours or the peer's); completed ones that
  // only absorb retransmissions are not counted. A graceful stop waits for these.
  std::size_t unanswered_transactions() const;
  IdGenerator& ids() { return ids_; }

 private:
  friend class ClientTxn;
  friend class ServerTxn;

  void on_request(Message request, const Source& source);
  void on_ack_request(const Message& ack, const Source& source);
  void on_cancel_request(Message cancel, const Source& source);
  void on_response(Message response, const Source& source);
  std::shared_ptr<ServerTxn> create_server(Message request, const Source& source, std::string key);
  void reply_stateless(const Message& request, const Source& source, int status);
  void prepare_via(Message& request, const Endpoint& destination);
  std::shared_ptr<ServerTxn> find_server(const std::string& key) const;
  // A retransmission of a request whose transaction was retired: re-sends its final response.
  bool absorb_completed(const std::string& key, const Source& source);
  // Removes the transaction from the merge and ACK-for-2xx indexes.
  void unindex(const ServerTxn& txn);

  // Used by the state machines.
  ServerTransaction handle_of(ServerTxn& txn);
  void index_ack_2xx(ServerTxn& txn, const Message& response);
  // Called when a state machine reaches Terminated; the layer drops its reference.
  void terminated(const ClientTxn& txn);
  void terminated(const ServerTxn& txn);
  // A non-INVITE server transaction sent its final response over UDP: from now on only
  // `response` is kept, under the same key, until Timer J.
  void retired(const ServerTxn& txn, std::string response);
  // A response of a server transaction that has already terminated could not be delivered.
  void report_lost_response(TransactionId id, std::string_view reason);

  base::TimerService& timers_;
  TransportSink& transport_;
  base::Logger log_;
  TransactionConfig config_;
  std::unique_ptr<TransactionMetrics> metrics_;
  TransactionUser* user_ = nullptr;
  IdGenerator ids_;
  TransactionId next_id_ = 1;

  std::unordered_map<std::string, std::shared_ptr<ClientTxn>> clients_;  // client_key()
  std::unordered_map<std::string, std::shared_ptr<ServerTxn>> servers_;  // server_key()
  // Server transactions by merge_key() (8.2.2.2) and, for 2xx retransmission, by ack2xx_key().
  std::unordered_map<std::string, std::weak_ptr<ServerTxn>> by_merge_key_;
  std::unordered_map<std::string, std::weak_ptr<ServerTxn>> by_ack2xx_key_;
  CompletedResponses completed_;
  // Expires with the layer: transport error handlers outliving it check it first.
  std::shared_ptr<int> lifetime_ = std::make_shared<int>(0);
};

}  // namespace kolokol::sip
