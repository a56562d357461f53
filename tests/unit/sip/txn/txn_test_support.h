#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "base/timer_service.h"
#include "sip/msg/message.h"
#include "sip/transport/transport_sink.h"
#include "sip/txn/transaction_layer.h"

namespace kolokol::sip::testing {

using namespace std::chrono_literals;

// Records what the layer sends; fills the top Via's sent-by like the real transport does.
class RecordingSink : public TransportSink {
 public:
  struct SentRequest {
    Message message;
    Endpoint destination;
    ErrorHandler on_error;
    base::TimePoint at;
  };
  struct SentResponse {
    Message message;
    Source destination;
    base::TimePoint at;
    ErrorHandler on_error;  // a test calls it to make the send fail (later, as the transport does)
  };

  explicit RecordingSink(const base::TimerService& clock) : clock_(clock) {}

  void send_request(Message& request, const Endpoint& destination, ErrorHandler on_error) override {
    if (const Via* top = request.top_via()) {
      Via via = *top;
      via.host = "192.0.2.10";
      via.port = 5070;
      request.set_top_via(via);
    }
    requests.push_back({request.clone(), destination, std::move(on_error), clock_.now()});
  }
  void send_response(const Message& response, const Source& destination,
                     ErrorHandler on_error = {}) override {
    responses.push_back({response.clone(), destination, clock_.now(), std::move(on_error)});
  }

  std::vector<SentRequest> requests;
  std::vector<SentResponse> responses;

 private:
  const base::TimerService& clock_;
};

// Records every TU upcall; hooks let a test answer from inside the upcall.
class RecordingUser : public TransactionUser {
 public:
  void on_request(ServerTransaction txn, const Message& request, const Source&) override {
    requests.push_back(txn);
    request_methods.emplace_back(request_method_of(request));
    if (on_request_hook) on_request_hook(txn, request);
  }
  void on_ack(const Message& ack, const Source&) override { acks.push_back(ack.clone()); }
  void on_cancel(ServerTransaction invite, const Message&, const Source&) override {
    cancels.push_back(invite);
  }
  void on_stray_response(const Message& response, const Source&) override {
    strays.push_back(response.clone());
  }
  void on_server_failure(ServerTransaction txn, TransactionFailure failure) override {
    failures.emplace_back(txn, failure);
  }

  static std::string request_method_of(const Message& request) {
    return std::string(request.method_text());
  }

  std::vector<ServerTransaction> requests;
  std::vector<std::string> request_methods;
  std::vector<Message> acks;
  std::vector<ServerTransaction> cancels;
  std::vector<Message> strays;
  std::vector<std::pair<ServerTransaction, TransactionFailure>> failures;
  std::function<void(ServerTransaction, const Message&)> on_request_hook;
};

// What a client transaction reported.
struct ClientLog {
  std::vector<int> statuses;
  int timeouts = 0;
  std::vector<std::string> transport_errors;

  ClientCallbacks callbacks() {
    return ClientCallbacks{
        .on_response = [this](const Message& r) { statuses.push_back(r.status()); },
        .on_timeout = [this] { ++timeouts; },
        .on_transport_error =
            [this](std::string_view reason) { transport_errors.emplace_back(reason); },
    };
  }
};

// Text with "\n" line ends turned into a parsed message with CRLF.
Message parse(std::string text);

struct RequestSpec {
  std::string method = "INVITE";
  std::string branch = "z9hG4bKbranch1";  // "" for no branch parameter
  std::string via_host = "192.0.2.1";
  std::string transport = "UDP";
  std::uint32_t cseq = 1;
  std::string cseq_method;  // method when empty
  std::string from_tag = "fromtag1";
  std::string to_tag;
  std::string call_id = "call1@example.com";
  std::string request_uri = "sip:bob@example.com";
};
Message make_request(const RequestSpec& spec);
// A request for the layer to send (no Via: the layer adds it).
Message make_outgoing(std::string method, std::uint32_t cseq = 1);

Source udp_source();
Source tcp_source();
Endpoint udp_peer();
Endpoint tcp_peer();

class TxnTest : public ::testing::Test {
 protected:
  TxnTest() { reset({}); }

  void reset(TransactionConfig config) {
    layer.reset();
    config.id_seed = 42;
    layer = std::make_unique<TransactionLayer>(timers, sink, metrics, base::Logger{}, config);
    layer->set_user(&user);
  }

  // Milliseconds since the test started, for schedules.
  long ms(base::TimePoint at) const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(at - base::TimePoint{}).count();
  }
  std::vector<long> request_times() const {
    std::vector<long> out;
    for (const auto& sent : sink.requests) out.push_back(ms(sent.at));
    return out;
  }
  std::vector<long> response_times() const {
    std::vector<long> out;
    for (const auto& sent : sink.responses) out.push_back(ms(sent.at));
    return out;
  }
  std::vector<int> response_statuses() const {
    std::vector<int> out;
    for (const auto& sent : sink.responses) out.push_back(sent.message.status());
    return out;
  }
  // A response to the n-th request the layer sent, as the peer would send it.
  void answer(std::size_t n, int status, std::string_view to_tag = "totag1",
              const Source& from = udp_source()) {
    layer->on_message(make_response(sink.requests.at(n).message, status, {}, to_tag), from);
  }
  // The transport reports that the n-th response could not be delivered.
  void fail_response(std::size_t n, std::string_view reason = "connection refused") {
    const auto& on_error = sink.responses.at(n).on_error;
    ASSERT_TRUE(on_error) << "response " << n << " was sent without an error handler";
    on_error(reason);
  }
  std::uint64_t counter(const std::string& name, const base::Labels& labels = {}) {
    return metrics.counter(name, "", labels).value();
  }
  std::int64_t active_gauge() { return metrics.gauge("sip_transactions_active", "").value(); }

  base::ManualTimerService timers;
  RecordingSink sink{timers};
  base::MetricsRegistry metrics;
  RecordingUser user;
  std::unique_ptr<TransactionLayer> layer;
};

}  // namespace kolokol::sip::testing
