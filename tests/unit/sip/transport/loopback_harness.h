#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "sip/transport/transport_layer.h"

namespace kolokol::sip::testing {

using namespace std::chrono_literals;

// Runs io until done() holds or the guard expires; returns done().
template <typename Pred>
bool run_until(boost::asio::io_context& io, Pred done, std::chrono::milliseconds guard = 5s) {
  const auto limit = std::chrono::steady_clock::now() + guard;
  while (!done() && std::chrono::steady_clock::now() < limit) {
    io.restart();
    io.run_for(2ms);
  }
  return done();
}

inline TransportConfig loopback_config(std::vector<ListenerConfig> listeners) {
  TransportConfig config;
  config.listeners = std::move(listeners);
  return config;
}

// One transport layer with its metrics and the messages it delivered.
struct Peer {
  Peer(boost::asio::io_context& io, TransportConfig config)
      : layer(io, std::move(config), metrics, base::Logger{}) {
    layer.set_handler([this](IncomingMessage m) { received.push_back(std::move(m)); });
    auto started = layer.start();
    if (started) {
      bound = *started;
    } else {
      start_error = started.error();
    }
  }

  Endpoint endpoint(Transport t, bool v6 = false) const {
    for (const auto& e : bound) {
      if (e.transport == t && (e.address.find(':') != std::string::npos) == v6) return e;
    }
    return {};
  }
  std::int64_t gauge(Transport t) {
    return metrics
        .gauge("sip_transport_connections", "", {{"transport", std::string(transport_name(t))}})
        .value();
  }
  std::uint64_t counter(const std::string& name, const base::Labels& labels) {
    return metrics.counter(name, "", labels).value();
  }

  base::MetricsRegistry metrics;
  TransportLayer layer;
  std::vector<IncomingMessage> received;
  std::vector<Endpoint> bound;
  std::string start_error;
};

inline Message options_request(const std::string& call_id = "call-1", int cseq = 1) {
  auto parsed = parse_message(
      "OPTIONS sip:peer@127.0.0.1 SIP/2.0\r\n"
      "Via: SIP/2.0/UDP placeholder.invalid;branch=z9hG4bK" +
      call_id + std::to_string(cseq) +
      "\r\n"
      "Max-Forwards: 70\r\n"
      "To: <sip:peer@127.0.0.1>\r\n"
      "From: <sip:test@127.0.0.1>;tag=abc\r\n"
      "Call-ID: " +
      call_id +
      "\r\n"
      "CSeq: " +
      std::to_string(cseq) +
      " OPTIONS\r\n"
      "Content-Length: 0\r\n\r\n");
  return std::move(*parsed);
}

}  // namespace kolokol::sip::testing
