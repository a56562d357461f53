#include "sip/txn/transaction_layer.h"

#include <utility>

#include "sip/txn/client_txn.h"
#include "sip/txn/server_txn.h"
#include "sip/txn/transaction_keys.h"
#include "sip/txn/transaction_metrics.h"

namespace kolokol::sip {
namespace {

// The sent-by of a Via we push; TransportSink::send_request overwrites it with the real one.
constexpr std::string_view kSentByPlaceholder = "0.0.0.0";

bool matchable(const Message& message) {
  return message.top_via() != nullptr && message.cseq() != nullptr && !message.call_id().empty() &&
         message.from() != nullptr && message.to() != nullptr;
}

// A request too broken to match a transaction is still answered (RFC 4475 3.1.2.1, 3.3.1) as
// long as it has a Via line: the response copies whatever header lines exist, and the transport
// sends it back to the source when the Via itself cannot be read.
bool answerable(const Message& request) {
  return request.find(HeaderId::Via) != nullptr;
}

Message make_trying(const Message& invite) {
  Message trying = make_response(invite, 100);
  if (const Header* timestamp = invite.find(HeaderId::Timestamp)) {  // 8.2.6.1
    trying.add_header(HeaderId::Timestamp, timestamp->value);
  }
  return trying;
}

// A response sent outside any transaction has nobody to tell when it is lost.
TransportSink::ErrorHandler stateless_error_handler(const base::Logger& log,
                                                    const Message& response) {
  return [log, status = response.status()](std::string_view reason) {
    log.info("stateless {} response lost: {}", status, reason);
  };
}

}  // namespace

TransactionLayer::TransactionLayer(base::TimerService& timers, TransportSink& transport,
                                   base::MetricsRegistry& metrics, base::Logger log,
                                   TransactionConfig config)
    : timers_(timers),
      transport_(transport),
      log_(std::move(log)),
      config_(config),
      metrics_(std::make_unique<TransactionMetrics>(metrics)),
      ids_(config.id_seed ? IdGenerator(*config.id_seed) : IdGenerator()),
      completed_(timers, config.timers.timeout(), config.max_completed_responses,
                 [this](const CompletedResponses::Entry&) { metrics_->active.add(-1); }) {}

std::size_t TransactionLayer::unanswered_transactions() const {
  std::size_t count = 0;
  for (const auto& [key, txn] : servers_) count += txn->final_sent() ? 0 : 1;
  for (const auto& [key, txn] : clients_) {
    const auto state = txn->state();
    count += state == ClientTxn::State::Calling || state == ClientTxn::State::Trying ||
                     state == ClientTxn::State::Proceeding
                 ? 1
                 : 0;
  }
  return count;
}

TransactionLayer::~TransactionLayer() {
  metrics_->active.add(-static_cast<std::int64_t>(active_transactions()));
  user_ = nullptr;
  by_merge_key_.clear();
  by_ack2xx_key_.clear();
  completed_.clear();
  clients_.clear();  // each state machine cancels its timers as it goes
  servers_.clear();
}

void TransactionLayer::on_message(IncomingMessage incoming) {
  on_message(std::move(incoming.message), incoming.source);
}

void TransactionLayer::on_message(Message message, const Source& source) {
  if (message.is_request()) {
    on_request(std::move(message), source);
  } else {
    on_response(std::move(message), source);
  }
}

std::shared_ptr<ServerTxn> TransactionLayer::find_server(const std::string& key) const {
  auto it = servers_.find(key);
  return it == servers_.end() ? nullptr : it->second;
}

void TransactionLayer::on_request(Message request, const Source& source) {
  if (!matchable(request)) {
    metrics_->dropped_malformed.inc();
    log_.debug("request from {} without usable Via/CSeq/Call-ID/From/To",
               source.remote.to_string());
    if (request.method() != Method::Ack && answerable(request)) {
      const auto& defect = request.defect();
      reply_stateless(request, source, defect && defect->status != 0 ? defect->status : 400);
    }
    return;
  }
  if (request.method() == Method::Ack) {
    on_ack_request(request, source);
    return;
  }
  if (request.method() == Method::Cancel) {
    on_cancel_request(std::move(request), source);
    return;
  }

  std::string key = server_key(request, request_method(request), to_tag_of(request));
  if (auto txn = find_server(key)) {
    txn->on_retransmission(source);
    return;
  }
  if (absorb_completed(key, source)) return;

  const bool out_of_dialog = to_tag_of(request).empty();
  std::string merged = out_of_dialog ? merge_key(request) : std::string();
  if (out_of_dialog && by_merge_key_.contains(merged)) {
    // 8.2.2.2: the same request reached us twice by different paths (a forking loop).
    metrics_->merged.inc();
    log_.info("merged request {} from {}: 482", request_method(request), source.remote.to_string());
    auto txn = create_server(std::move(request), source, std::move(key));
    txn->respond(make_response(txn->request(), 482, "Loop Detected"));
    return;
  }

  auto txn = create_server(std::move(request), source, std::move(key));
  if (user_ == nullptr) {
    txn->respond(make_response(txn->request(), 503));
    return;
  }
  if (out_of_dialog) {
    txn->merge_key = merged;
    by_merge_key_.emplace(std::move(merged), txn);
  }
  const Source request_source = txn->source();
  user_->on_request(handle_of(*txn), txn->request(), request_source);
  // 17.2.1: 100 Trying at once unless the TU already answered, which spares the peer its
  // INVITE retransmissions however long the TU takes.
  if (txn->is_invite() && !txn->responded() && txn->state() == ServerTxn::State::Proceeding) {
    txn->respond(make_trying(txn->request()));
  }
}

void TransactionLayer::on_ack_request(const Message& ack, const Source& source) {
  std::shared_ptr<ServerTxn> txn = find_server(server_key(ack, "INVITE", to_tag_of(ack)));
  if (txn == nullptr && !has_rfc3261_branch(ack)) {
    // RFC 2543: the INVITE had no To tag; the ACK carries the one of our response.
    txn = find_server(server_key(ack, "INVITE", ""));
    if (txn != nullptr && txn->response_to_tag() != to_tag_of(ack)) txn = nullptr;
  }
  if (txn != nullptr && txn->on_ack()) return;  // the ACK of a non-2xx: part of the transaction

  if (auto it = by_ack2xx_key_.find(ack_2xx_key(ack)); it != by_ack2xx_key_.end()) {
    if (auto acked = it->second.lock()) acked->on_ack_for_2xx();
  }
  if (user_ != nullptr) user_->on_ack(ack, source);
}

void TransactionLayer::on_cancel_request(Message cancel, const Source& source) {
  std::string own_key = server_key(cancel, "CANCEL", to_tag_of(cancel));
  if (auto txn = find_server(own_key)) {
    txn->on_retransmission(source);
    return;
  }
  if (absorb_completed(own_key, source)) return;
  std::shared_ptr<ServerTxn> invite = find_server(server_key(cancel, "INVITE", to_tag_of(cancel)));
  if (invite != nullptr && !invite->is_invite()) invite = nullptr;

  auto txn = create_server(std::move(cancel), source, std::move(own_key));
  if (invite == nullptr) {
    txn->respond(make_response(txn->request(), 481));
    return;
  }
  // 9.2: the CANCEL's 200 carries the To tag of the INVITE's responses.
  txn->respond(make_response(txn->request(), 200, {}, invite->response_to_tag()));
  if (invite->final_sent()) return;  // too late: the CANCEL changes nothing
  if (user_ != nullptr) {
    const Source cancel_source = txn->source();
    user_->on_cancel(handle_of(*invite), txn->request(), cancel_source);
  } else {
    invite->respond(make_response(invite->request(), 487));
  }
}

void TransactionLayer::on_response(Message response, const Source& source) {
  if (response.defect() || response.top_via() == nullptr || response.cseq() == nullptr) {
    metrics_->dropped_malformed.inc();
    return;
  }
  if (auto it = clients_.find(client_key_of_response(response)); it != clients_.end()) {
    std::shared_ptr<ClientTxn> txn = it->second;
    txn->on_response(response, source);
    return;
  }
  const int status = response.status();
  if (status >= 200 && status < 300 && response.cseq()->method == Method::Invite &&
      user_ != nullptr) {
    user_->on_stray_response(response, source);
    return;
  }
  metrics_->dropped_stray.inc();
  log_.debug("stray response {} {} from {} dropped", status, cseq_method(*response.cseq()),
             source.remote.to_string());
}

ClientTransaction TransactionLayer::send_request(Message request, const Endpoint& destination,
                                                 ClientCallbacks callbacks) {
  if (!request.is_request() || request.method() == Method::Ack || request.cseq() == nullptr) {
    log_.error("send_request: not a request, an ACK, or no CSeq");
    return {};
  }
  prepare_via(request, destination);
  const Via* via = request.top_via();
  if (via == nullptr || !via->branch()) {
    log_.error("send_request: unusable top Via");
    return {};
  }
  std::string key = client_key(*via->branch(), cseq_method(*request.cseq()));
  if (clients_.contains(key)) {
    log_.error("send_request: branch {} already in use", *via->branch());
    return {};
  }
  const bool invite = request.method() == Method::Invite;
  auto txn = std::make_shared<ClientTxn>(*this, next_id_++, key, std::move(request), destination,
                                         std::move(callbacks));
  clients_.emplace(std::move(key), txn);
  (invite ? metrics_->client_invite : metrics_->client_non_invite).inc();
  metrics_->active.add(1);
  ClientTransaction handle(txn, txn->id());
  txn->start();
  return handle;
}

void TransactionLayer::send_ack(Message& ack, const Endpoint& destination,
                                TransportSink::ErrorHandler on_error) {
  prepare_via(ack, destination);
  if (!on_error) on_error = [](std::string_view) {};
  transport_.send_request(ack, destination, std::move(on_error));
}

void TransactionLayer::send_response_stateless(const Message& response, const Source& destination) {
  transport_.send_response(response, destination, stateless_error_handler(log_, response));
}

void TransactionLayer::prepare_via(Message& request, const Endpoint& destination) {
  if (request.count(HeaderId::Via) == 0) {
    Via via;
    via.transport = std::string(transport_name(destination.transport));
    via.host = std::string(kSentByPlaceholder);
    set_param(via.params, "branch", ids_.branch());
    request.push_front_header(HeaderId::Via, via.to_string());
    return;
  }
  if (const Via* top = request.top_via(); top != nullptr && !top->branch()) {
    Via via = *top;
    set_param(via.params, "branch", ids_.branch());
    request.set_top_via(via);
  }
}

void TransactionLayer::reply_stateless(const Message& request, const Source& source, int status) {
  Message response = make_response(request, status);
  transport_.send_response(response, source, stateless_error_handler(log_, response));
}

std::shared_ptr<ServerTxn> TransactionLayer::create_server(Message request, const Source& source,
                                                           std::string key) {
  auto txn = std::make_shared<ServerTxn>(*this, next_id_++, key, std::move(request), source);
  servers_.emplace(std::move(key), txn);
  (txn->is_invite() ? metrics_->server_invite : metrics_->server_non_invite).inc();
  metrics_->active.add(1);
  return txn;
}

ServerTransaction TransactionLayer::handle_of(ServerTxn& txn) {
  return ServerTransaction(txn.weak_from_this(), txn.id(), log_);
}

void TransactionLayer::index_ack_2xx(ServerTxn& txn, const Message& response) {
  std::string key = ack_2xx_key(response);
  txn.ack_2xx_keys.push_back(key);
  by_ack2xx_key_[std::move(key)] = txn.weak_from_this();
}

void TransactionLayer::terminated(const ClientTxn& txn) {
  auto it = clients_.find(txn.key());
  if (it == clients_.end() || it->second.get() != &txn) return;
  clients_.erase(it);  // the caller holds a strong reference until it returns
  metrics_->active.add(-1);
}

void TransactionLayer::report_lost_response(TransactionId id, std::string_view reason) {
  log_.info("server transaction {}: response lost after termination: {}", id, reason);
  if (user_ != nullptr) {
    user_->on_server_failure(ServerTransaction({}, id, log_), TransactionFailure::TransportError);
  }
}

bool TransactionLayer::absorb_completed(const std::string& key, const Source& source) {
  CompletedResponses::Entry* entry = completed_.find(key);
  if (entry == nullptr) return false;
  metrics_->retransmissions_in.inc();
  if (entry->response.empty()) return true;  // an INVITE whose 2xx was ACKed: absorbed
  // Answered where this copy came from (a retransmission may use a new connection). Reparsing costs
  // a microsecond and happens only when our response was lost.
  auto response = parse_message(entry->response);
  if (!response) return true;  // we serialized it ourselves; cannot fail
  metrics_->retransmissions_out.inc();
  transport_.send_response(
      *response, source,
      [this, alive = std::weak_ptr<int>(lifetime_), id = entry->id](std::string_view reason) {
        if (!alive.expired()) report_lost_response(id, reason);
      });
  return true;
}

void TransactionLayer::unindex(const ServerTxn& txn) {
  auto erase_if_owned = [&txn](auto& index, const std::string& key) {
    auto it = index.find(key);
    if (it == index.end()) return;
    auto owner = it->second.lock();
    if (owner == nullptr || owner.get() == &txn) index.erase(it);
  };
  if (!txn.merge_key.empty()) erase_if_owned(by_merge_key_, txn.merge_key);
  for (const std::string& key : txn.ack_2xx_keys) erase_if_owned(by_ack2xx_key_, key);
}

void TransactionLayer::retired(const ServerTxn& txn, std::string response) {
  // Merged-request detection (8.2.2.2) ends with the retired state machine too: forked copies
  // arrive while the first is being handled, and keeping the index would double the entry.
  unindex(txn);
  auto it = servers_.find(txn.key());
  if (it == servers_.end() || it->second.get() != &txn) return;
  completed_.add(txn.key(), CompletedResponses::Entry{txn.id(), std::move(response)});
  servers_.erase(it);  // the caller holds a strong reference until it returns
}

void TransactionLayer::terminated(const ServerTxn& txn) {
  unindex(txn);
  auto it = servers_.find(txn.key());
  if (it == servers_.end() || it->second.get() != &txn) return;
  servers_.erase(it);
  metrics_->active.add(-1);
}

}  // namespace kolokol::sip
