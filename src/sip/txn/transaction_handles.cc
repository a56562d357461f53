#include "sip/txn/transaction_handles.h"

#include <utility>

#include "sip/txn/client_txn.h"
#include "sip/txn/server_txn.h"
#include "sip/txn/transaction_user.h"

namespace kolokol::sip {

std::string_view failure_name(TransactionFailure failure) {
  switch (failure) {
    case TransactionFailure::Timeout:
      return "timeout";
    case TransactionFailure::NoAck:
      return "no-ack";
    case TransactionFailure::TransportError:
      return "transport-error";
  }
  return "unknown";
}

namespace {

std::shared_ptr<ServerTxn> live(const std::weak_ptr<ServerTxn>& weak) {
  auto txn = weak.lock();
  return txn != nullptr && txn->state() != ServerTxn::State::Terminated ? txn : nullptr;
}

std::shared_ptr<ClientTxn> live(const std::weak_ptr<ClientTxn>& weak) {
  auto txn = weak.lock();
  return txn != nullptr && txn->state() != ClientTxn::State::Terminated ? txn : nullptr;
}

}  // namespace

bool ServerTransaction::alive() const {
  return live(txn_) != nullptr;
}

bool ServerTransaction::respond(Message response) const {
  auto txn = live(txn_);
  if (txn == nullptr) {
    log_.info("server transaction {} has ended: response {} not sent", id_,
              response.is_response() ? response.status() : 0);
    return false;
  }
  return txn->respond(std::move(response));
}

bool ServerTransaction::respond_and_forget(Message response) const {
  auto txn = live(txn_);
  if (txn == nullptr) {
    log_.info("server transaction {} has ended: response {} not sent", id_,
              response.is_response() ? response.status() : 0);
    return false;
  }
  return txn->respond_and_forget(std::move(response));
}

bool ServerTransaction::respond(int status, std::string_view reason,
                                std::string_view to_tag) const {
  auto txn = live(txn_);
  if (txn == nullptr) {
    log_.info("server transaction {} has ended: response {} not sent", id_, status);
    return false;
  }
  return txn->respond(make_response(txn->request(), status, reason, to_tag));
}

const Message* ServerTransaction::request() const {
  auto txn = live(txn_);
  return txn != nullptr ? &txn->request() : nullptr;
}

const Source* ServerTransaction::source() const {
  auto txn = live(txn_);
  return txn != nullptr ? &txn->source() : nullptr;
}

bool ClientTransaction::alive() const {
  return live(txn_) != nullptr;
}

const Message* ClientTransaction::request() const {
  auto txn = live(txn_);
  return txn != nullptr ? txn->request() : nullptr;
}

bool ClientTransaction::cancel(ClientCallbacks callbacks) const {
  auto txn = live(txn_);
  return txn != nullptr && txn->cancel(std::move(callbacks));
}

bool ClientTransaction::cancel() const {
  return cancel(ClientCallbacks{});
}

void ClientTransaction::detach() const {
  if (auto txn = txn_.lock()) txn->detach();
}

}  // namespace kolokol::sip
