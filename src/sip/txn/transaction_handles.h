#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "base/log.h"
#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"

namespace kolokol::sip {

struct ClientCallbacks;
class ClientTxn;  // internal state machines (client_txn.h, server_txn.h)
class ServerTxn;

// Unique per layer, never reused; 0 for an empty handle.
using TransactionId = std::uint64_t;

// A handle to a server transaction, handed to the TU with each new request. Cheap to copy and
// safe to keep after the transaction ended (and after the layer is gone): every call then is a
// no-op (respond() logs and returns false). Use only on the layer's thread.
class ServerTransaction {
 public:
  ServerTransaction() = default;

  bool alive() const;  // false once the transaction reached Terminated
  TransactionId id() const { return id_; }

  // Sends a response (provisional or final) per RFC 3261 17.2. Adding the To tag is the TU's
  // job (make_response(request, status, reason, to_tag)). Returns false, sending nothing, when
  // the transaction has ended or already sent its final response (except further 2xx to an
  // INVITE in the Accepted state, which RFC 6026 passes through).
  bool respond(Message response) const;
  // A final response to a non-INVITE request after which the transaction ends at once, without
  // absorbing retransmissions (RFC 3261 8.2.7): for challenges, where a retransmitted request
  // may just as well get a fresh one. Saves holding the transaction for Timer J.
  bool respond_and_forget(Message response) const;
  // Shortcut: make_response(*request(), status, reason, to_tag) then respond().
  bool respond(int status, std::string_view reason = {}, std::string_view to_tag = {}) const;

  // The request that created the transaction, and where it came from (the latest
  // retransmission's source); nullptr once the transaction has ended.
  const Message* request() const;
  const Source* source() const;

  bool operator==(const ServerTransaction& other) const { return id_ == other.id_; }

 private:
  friend class TransactionLayer;
  friend class ServerTxn;
  ServerTransaction(std::weak_ptr<ServerTxn> txn, TransactionId id, base::Logger log)
      : txn_(std::move(txn)), id_(id), log_(std::move(log)) {}

  std::weak_ptr<ServerTxn> txn_;
  TransactionId id_ = 0;
  base::Logger log_;
};

// A handle to a client transaction, returned by TransactionLayer::send_request(). Same lifetime
// rules as ServerTransaction.
class ClientTransaction {
 public:
  ClientTransaction() = default;

  bool alive() const;  // false once the transaction reached Terminated
  TransactionId id() const { return id_; }

  // The request as sent (top Via filled by the transport); nullptr once ended, and for an
  // INVITE once a 2xx arrived.
  const Message* request() const;

  // INVITE only (RFC 3261 9.1): builds the CANCEL (same Request-URI, Call-ID, From, To, CSeq
  // number, top Via and Route) and sends it in its own client transaction, reporting to
  // callbacks. The CANCEL waits until a provisional response has arrived (9.1 forbids it before);
  // if a final response comes first it is never sent. If no final response to the INVITE comes
  // within 64*T1 of the CANCEL, the INVITE transaction ends with on_timeout. Returns false when
  // not an INVITE, ended, already final, or already cancelled.
  bool cancel(ClientCallbacks callbacks) const;
  bool cancel() const;

  // Forget the callbacks (e.g. their owner is going away): the transaction keeps running (ACKs,
  // retransmissions) but reports nothing more.
  void detach() const;

  bool operator==(const ClientTransaction& other) const { return id_ == other.id_; }

 private:
  friend class TransactionLayer;
  ClientTransaction(std::weak_ptr<ClientTxn> txn, TransactionId id)
      : txn_(std::move(txn)), id_(id) {}

  std::weak_ptr<ClientTxn> txn_;
  TransactionId id_ = 0;
};

}  // namespace kolokol::sip
