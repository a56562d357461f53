#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "base/timer_service.h"
#include "sip/dialog/session_manager.h"
#include "sip/msg/message.h"
#include "sip/transport/transport_sink.h"
#include "sip/txn/transaction_layer.h"

namespace kolokol::sip::testing {

using namespace std::chrono_literals;

class FakeNetwork;

// One user agent: a real TransactionLayer and SessionManager over a sink into the FakeNetwork.
// Records what its sessions report.
class Agent : public TransportSink {
 public:
  Agent(FakeNetwork& network, std::string name, Endpoint endpoint, InviteSessionConfig config,
        TransactionConfig txn_config);
  ~Agent() override;

  void send_request(Message& request, const Endpoint& destination, ErrorHandler on_error) override;
  void send_response(const Message& response, const Source& destination,
                     ErrorHandler on_error = {}) override;

  InviteSession* session() { return manager->find(session_id); }
  InviteSession* call(Agent& callee, std::optional<std::string> offer);

  std::string name;
  Endpoint endpoint;
  FakeNetwork& network;
  base::MetricsRegistry metrics;
  std::unique_ptr<TransactionLayer> layer;
  std::unique_ptr<SessionManager> manager;

  std::uint64_t session_id = 0;
  std::vector<std::string> events;  // "incoming", "established", "terminated:<reason>:<status>" ...
  std::vector<std::pair<Method, int>> modified;
  std::vector<std::string> provisional_bodies;  // of every provisional received, "" for none
  std::optional<SessionEnd> end;
  std::string answer_to_give = "v=0 answer";
  std::string offer_to_give;
  std::function<void(InviteSession&)> on_incoming;  // default: ring() then accept()
  // When set, re-INVITE/UPDATE offers are held open (SessionHandler::on_modify_offer).
  std::function<bool(InviteSession&, Method, std::string_view)> on_modify_offer;
};

// Carries serialized messages between agents in FIFO order; a drop filter simulates loss.
class FakeNetwork {
 public:
  struct Sent {
    std::string from;
    std::string summary;  // "INVITE", "PRACK", "200/INVITE", "180/INVITE" ...
    long at_ms;
    bool dropped;
  };

  explicit FakeNetwork(base::ManualTimerService& timers) : timers(timers) {}

  void attach(Agent& agent) { agents_.push_back(&agent); }
  void detach(Agent& agent) { std::erase(agents_, &agent); }
  void enqueue(const Agent& from, const Endpoint& to, const Message& message);
  // Delivers until nothing is in flight.
  void pump();
  // Moves time in small steps, delivering in between.
  void run_for(base::Duration span, base::Duration step = 10ms);

  std::size_t count(std::string_view from, std::string_view summary,
                    bool delivered_only = false) const;
  std::vector<long> times(std::string_view from, std::string_view summary) const;
  long now_ms() const;

  base::ManualTimerService& timers;
  std::vector<Sent> log;
  std::function<bool(const std::string& from, const Message&)> drop;

 private:
  struct Packet {
    Source source;
    Endpoint to;
    std::string bytes;
  };
  std::vector<Agent*> agents_;
  std::deque<Packet> in_flight_;
};

std::string summary_of(const Message& message);

class SessionTest : public ::testing::Test {
 protected:
  void make_agents(InviteSessionConfig alice_config = {}, InviteSessionConfig bob_config = {},
                   TransactionConfig txn_config = {});
  // Alice calls Bob with an offer and the call is answered; both sides established.
  void establish(std::optional<std::string> offer = std::string("v=0 offer"));

  base::ManualTimerService timers;
  FakeNetwork network{timers};
  std::unique_ptr<Agent> alice;
  std::unique_ptr<Agent> bob;
};

}  // namespace kolokol::sip::testing
