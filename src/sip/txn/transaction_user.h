#pragma once

#include <functional>
#include <string_view>

#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"
#include "sip/txn/transaction_handles.h"

namespace kolokol::sip {

// Why a transaction ended without completing normally.
enum class TransactionFailure {
  Timeout,         // B, F (no final response), CANCEL give-up, H (server: no ACK for a non-2xx)
  NoAck,           // server INVITE: 2xx retransmitted for 64*T1 without ACK (retransmit_2xx only)
  TransportError,  // the transport could not deliver (17.1.4, 17.2.4)
};
std::string_view failure_name(TransactionFailure failure);

// What the owner of a client transaction hears about it. Every callback runs on the layer's
// thread, possibly re-entering the layer (sending a new request from on_response is fine).
// Empty callbacks are skipped. After a failure callback or a final response (non-2xx, or the
// Accepted state ending for INVITE) nothing more is called.
struct ClientCallbacks {
  // Every provisional, the final response, and for INVITE every 2xx arriving while the
  // transaction is Accepted (RFC 6026: retransmissions and 2xx from other forks, which the
  // TU must ACK; the transaction never ACKs a 2xx). A non-2xx final to INVITE is already ACKed
  // by the transaction (17.1.1.3) when this runs.
  std::function<void(const Message& response)> on_response;
  // Timer B / F fired without a final response (the "408" of 8.1.3.1), or no final response
  // came 64*T1 after a CANCEL was sent for this INVITE (9.1).
  std::function<void()> on_timeout;
  // The request could not be delivered; the transaction is terminated.
  std::function<void(std::string_view reason)> on_transport_error;
};

// The transaction user (UA core, dialog layer). Receives what arrives outside client
// transactions. Runs on the layer's thread; may call back into the layer and respond at once or
// later through the handle.
class TransactionUser {
 public:
  virtual ~TransactionUser() = default;

  // A new request (never ACK or CANCEL, never a retransmission). A server transaction has been
  // created; answer through txn.respond(), now or later. For INVITE, if nothing was sent when
  // this returns the layer sends 100 Trying at once (17.2.1: no 200 ms wait). The request may
  // carry a defect() (see Message): answering it with defect()->status is the TU's decision.
  virtual void on_request(ServerTransaction txn, const Message& request, const Source& source) = 0;

  // An ACK that belongs to no server transaction: the ACK for a 2xx (it is its own transaction,
  // RFC 3261 17 / 13.3.1.4), or an ACK for a transaction already gone. With retransmit_2xx the
  // layer has already stopped retransmitting the matching 2xx.
  virtual void on_ack(const Message& ack, const Source& source) = 0;

  // A CANCEL matched a server INVITE transaction that has sent no final response yet. The layer
  // already answered the CANCEL with 200; the TU should now answer invite with 487
  // (RFC 3261 9.2). A CANCEL for an unknown transaction is answered 481 without involving the
  // TU; one arriving after the final response is answered 200 and changes nothing.
  virtual void on_cancel(ServerTransaction invite, const Message& cancel, const Source& source) = 0;

  // A 2xx to INVITE for which no client transaction exists any more (Timer M ended it, or it
  // was never ours): the dialog layer may still have to ACK it (13.2.2.4). Other stray
  // responses are dropped and counted.
  virtual void on_stray_response(const Message& response, const Source& source) = 0;

  // A server transaction ended abnormally: Timer H fired (no ACK for our non-2xx), the 2xx was
  // never ACKed (retransmit_2xx), or the transport failed. Default: ignore.
  virtual void on_server_failure(ServerTransaction txn, TransactionFailure failure) {
    (void)txn;
    (void)failure;
  }
};

}  // namespace kolokol::sip
