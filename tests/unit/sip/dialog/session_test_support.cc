#include "session_test_support.h"

#include "sip/dialog/uri_endpoint.h"

namespace kolokol::sip::testing {

std::string summary_of(const Message& message) {
  if (message.is_request()) return std::string(message.method_text());
  std::string out = std::to_string(message.status());
  if (const CSeq* cseq = message.cseq()) out += "/" + std::string(method_name(cseq->method));
  return out;
}

Agent::Agent(FakeNetwork& network, std::string name, Endpoint endpoint, InviteSessionConfig config,
             TransactionConfig txn_config)
    : name(std::move(name)), endpoint(std::move(endpoint)), network(network) {
  txn_config.id_seed = std::hash<std::string>{}(this->name);
  config.seed = 7;
  layer = std::make_unique<TransactionLayer>(network.timers, *this, metrics, base::Logger{},
                                             txn_config);
  SessionHandler handler;
  handler.on_incoming = [this](InviteSession& session, const Message&) {
    session_id = session.id();
    events.push_back("incoming");
    if (on_incoming) {
      on_incoming(session);
    } else {
      session.ring();
      session.accept();
    }
  };
  handler.on_provisional = [this](InviteSession&, const Message& response) {
    events.push_back("provisional:" + std::to_string(response.status()));
    provisional_bodies.push_back(response.body());
  };
  handler.on_established = [this](InviteSession&) { events.push_back("established"); };
  handler.on_terminated = [this](InviteSession&, const SessionEnd& session_end) {
    end = session_end;
    events.push_back("terminated:" + std::string(end_reason_name(session_end.reason)) + ":" +
                     std::to_string(session_end.status));
  };
  handler.on_offer = [this](InviteSession&, std::string_view offer) -> std::optional<std::string> {
    events.push_back("offer:" + std::string(offer));
    if (answer_to_give.empty()) return std::nullopt;
    return answer_to_give;
  };
  handler.on_answer = [this](InviteSession&, std::string_view answer) {
    events.push_back("answer:" + std::string(answer));
  };
  handler.make_offer = [this](InviteSession&) { return offer_to_give; };
  handler.on_modify_offer = [this](InviteSession& session, Method method, std::string_view offer) {
    return on_modify_offer && on_modify_offer(session, method, offer);
  };
  handler.on_modified = [this](InviteSession&, Method method, int status) {
    modified.emplace_back(method, status);
  };
  manager = std::make_unique<SessionManager>(*layer, network.timers, base::Logger{}, config,
                                             std::move(handler));
  layer->set_user(manager.get());
  network.attach(*this);
}

Agent::~Agent() {
  layer->set_user(nullptr);
  manager.reset();
  network.detach(*this);
}

void Agent::send_request(Message& request, const Endpoint& destination, ErrorHandler) {
  if (const Via* top = request.top_via()) {
    Via via = *top;
    via.host = endpoint.address;
    via.port = endpoint.port;
    request.set_top_via(via);
  }
  network.enqueue(*this, destination, request);
}

void Agent::send_response(const Message& response, const Source& destination, ErrorHandler) {
  network.enqueue(*this, destination.remote, response);
}

InviteSession* Agent::call(Agent& callee, std::optional<std::string> offer) {
  OutgoingCall call;
  call.request_uri = *parse_uri("sip:" + callee.name + "@" + callee.endpoint.address + ":" +
                                std::to_string(callee.endpoint.port));
  call.from = *parse_name_addr("<sip:" + name + "@example.com>");
  call.to = *parse_name_addr("<sip:" + callee.name + "@example.com>");
  call.contact = contact_for_endpoint(endpoint, name);
  call.destination = callee.endpoint;
  call.offer = std::move(offer);
  InviteSession* session = manager->invite(std::move(call));
  if (session) session_id = session->id();
  return session;
}

void FakeNetwork::enqueue(const Agent& from, const Endpoint& to, const Message& message) {
  const bool dropped = drop && drop(from.name, message);
  log.push_back({from.name, summary_of(message), now_ms(), dropped});
  if (dropped) return;
  in_flight_.push_back({Source{from.endpoint, to, 0}, to, message.to_string()});
}

void FakeNetwork::pump() {
  for (int guard = 0; guard < 10000 && !in_flight_.empty(); ++guard) {
    Packet packet = std::move(in_flight_.front());
    in_flight_.pop_front();
    for (Agent* agent : agents_) {
      if (agent->endpoint.address == packet.to.address && agent->endpoint.port == packet.to.port) {
        auto parsed = parse_message(packet.bytes);
        ASSERT_TRUE(parsed.has_value()) << packet.bytes;
        Source source{packet.source.remote, agent->endpoint, 0};
        agent->layer->on_message(std::move(*parsed), source);
      }
    }
  }
}

void FakeNetwork::run_for(base::Duration span, base::Duration step) {
  pump();
  for (base::Duration elapsed{0}; elapsed < span; elapsed += step) {
    timers.advance(step);
    pump();
  }
}

std::size_t FakeNetwork::count(std::string_view from, std::string_view summary,
                               bool delivered_only) const {
  std::size_t n = 0;
  for (const Sent& sent : log) {
    if (sent.from == from && sent.summary == summary && !(delivered_only && sent.dropped)) ++n;
  }
  return n;
}

std::vector<long> FakeNetwork::times(std::string_view from, std::string_view summary) const {
  std::vector<long> out;
  for (const Sent& sent : log) {
    if (sent.from == from && sent.summary == summary) out.push_back(sent.at_ms);
  }
  return out;
}

long FakeNetwork::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(timers.now() - base::TimePoint{})
      .count();
}

void SessionTest::make_agents(InviteSessionConfig alice_config, InviteSessionConfig bob_config,
                              TransactionConfig txn_config) {
  alice = std::make_unique<Agent>(network, "alice", Endpoint{Transport::Udp, "127.0.0.1", 5060},
                                  alice_config, txn_config);
  bob = std::make_unique<Agent>(network, "bob", Endpoint{Transport::Udp, "127.0.0.2", 5060},
                                bob_config, txn_config);
}

void SessionTest::establish(std::optional<std::string> offer) {
  if (!alice) make_agents();
  ASSERT_NE(alice->call(*bob, std::move(offer)), nullptr);
  network.pump();
  ASSERT_NE(alice->session(), nullptr);
  ASSERT_EQ(alice->session()->state(), InviteSessionState::Established);
  ASSERT_NE(bob->session(), nullptr);
  ASSERT_EQ(bob->session()->state(), InviteSessionState::Established);
}

}  // namespace kolokol::sip::testing
