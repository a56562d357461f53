#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>

#include "sip/transport/ip_address.h"
#include "sip/transport/response_route.h"
#include "sip/transport/transport_layer_impl.h"

namespace kolokol::sip {
namespace {

constexpr std::size_t kRouteCacheLimit = 4096;

bool is_v6(const Endpoint& endpoint) {
  return endpoint.address.find(':') != std::string::npos;
}

}  // namespace

void TransportLayer::Impl::fail_later(ErrorHandler on_error, std::string reason) {
  if (!on_error) return;
  boost::asio::post(
      io_, [on_error = std::move(on_error), reason = std::move(reason)] { on_error(reason); });
}

UdpListener* TransportLayer::Impl::udp_listener_for(bool v6, const Endpoint* preferred_local) {
  UdpListener* fallback = nullptr;
  for (auto& udp : udp_listeners_) {
    if (udp->bound().address().is_v6() != v6) continue;
    if (preferred_local == nullptr || udp->local() == *preferred_local) return udp.get();
    if (fallback == nullptr) fallback = udp.get();
  }
  return fallback;
}

StreamListener* TransportLayer::Impl::stream_listener_for(Transport transport, bool v6) {
  for (auto& stream : stream_listeners_) {
    if (stream->transport() == transport && stream->bound().address().is_v6() == v6) {
      return stream.get();
    }
  }
  return nullptr;
}

std::string TransportLayer::Impl::via_host(const boost::asio::ip::address& bound,
                                           const boost::asio::ip::address& destination) {
  if (!bound.is_unspecified()) return host_for_header(bound);
  if (!config_.advertised_host.empty()) {
    auto literal = parse_ip_literal(config_.advertised_host);
    return literal ? host_for_header(*literal) : config_.advertised_host;
  }
  // The source address the kernel picks for this destination: a connected UDP socket learns
  // it without sending anything.
  const std::string key = destination.to_string();
  if (auto cached = route_cache_.find(key); cached != route_cache_.end()) return cached->second;
  boost::asio::ip::udp::socket probe(io_);
  boost::system::error_code ec;
  probe.open(destination.is_v6() ? boost::asio::ip::udp::v6() : boost::asio::ip::udp::v4(), ec);
  if (!ec) probe.connect({destination, 9}, ec);
  boost::asio::ip::address local;
  if (!ec) local = probe.local_endpoint(ec).address();
  if (ec || local.is_unspecified()) {
    local = destination.is_v6() ? boost::asio::ip::address(boost::asio::ip::address_v6::loopback())
                                : boost::asio::ip::address(boost::asio::ip::address_v4::loopback());
  }
  if (route_cache_.size() >= kRouteCacheLimit) route_cache_.clear();
  return route_cache_[key] = host_for_header(local);
}

void TransportLayer::Impl::send_request(Message& request, const Endpoint& destination,
                                        ErrorHandler on_error) {
  const auto address = parse_ip_literal(destination.address);
  if (!address) {
    fail_later(std::move(on_error), "destination " + destination.address + " is no IP address");
    return;
  }
  if (is_forbidden_destination(*address) || destination.port == 0) {
    fail_later(std::move(on_error), "refusing to send to " + destination.to_string());
    return;
  }
  const Via* top = request.top_via();
  if (top == nullptr) {
    fail_later(std::move(on_error), "request has no Via");
    return;
  }
  const bool v6 = address->is_v6();
  boost::asio::ip::address bound;
  std::uint16_t port = 0;
  UdpListener* udp = nullptr;
  if (destination.transport == Transport::Udp) {
    udp = udp_listener_for(v6, nullptr);
    if (udp != nullptr) {
      bound = udp->bound().address();
      port = udp->bound().port();
    }
  } else if (auto* stream = stream_listener_for(destination.transport, v6)) {
    bound = stream->bound().address();
    port = stream->bound().port();
  }
  if (port == 0) {
    fail_later(std::move(on_error), std::string("no ") +
                                        std::string(transport_name(destination.transport)) +
                                        (v6 ? " IPv6" : " IPv4") + " listener to send from");
    return;
  }

  Via via = *top;
  via.transport = std::string(transport_name(destination.transport));
  via.host = via_host(bound, *address);
  via.port = port;
  if (!via.has_rport()) set_param(via.params, "rport", std::nullopt);
  request.set_top_via(via);

  std::string bytes = request.to_string();
  metrics_.message(Direction::Out, destination.transport, request);
  if (udp != nullptr) {
    // RFC 3261 18.1.1 wants requests over 1300 bytes on a congestion-controlled transport;
    // switching would change the transaction's reliability under the transaction layer, so
    // UDP stays UDP here (as most deployed stacks do).
    metrics_.bytes(Direction::Out, Transport::Udp, bytes.size());
    udp->send_to(std::move(bytes), {*address, destination.port}, std::move(on_error));
    return;
  }
  send_stream(Endpoint{destination.transport, address->to_string(), destination.port},
              std::move(bytes), std::move(on_error));
}

void TransportLayer::Impl::send_stream(const Endpoint& destination, std::string bytes,
                                       ErrorHandler on_error) {
  if (auto* connection = connections_.find(destination);
      connection != nullptr && connection->state() != StreamConnection::State::Closed) {
    connection->send(std::move(bytes), std::move(on_error));
    return;
  }
  if (!running_) {
    fail_later(std::move(on_error), "transport layer stopped");
    return;
  }
  if (connections_.size() >= config_.max_connections) {
    fail_later(std::move(on_error), "connection limit reached");
    return;
  }
  if (destination.transport == Transport::Tls && !tls_context_) {
    fail_later(std::move(on_error), "TLS is not configured");
    return;
  }
  auto connection = std::allocate_shared<StreamConnection>(
      ArenaAllocator<StreamConnection>(connection_arena_), next_connection_id_++, io_,
      destination.transport == Transport::Tls ? tls_context_.get() : nullptr, destination,
      StreamLimits{config_.max_message_size, config_.max_write_queue}, read_scratch_,
      connection_arena_, *this);
  connections_.add(connection);
  metrics_.connections(destination.transport).add(1);
  connection->send(std::move(bytes), std::move(on_error));
  connection->start_connect();
}

void TransportLayer::Impl::send_response(const Message& response, const Source& source,
                                         ErrorHandler on_error) {
  const Transport transport = source.remote.transport;
  if (is_reliable(transport) && source.connection != 0) {
    if (auto* connection = connections_.find(source.connection);
        connection != nullptr && connection->state() != StreamConnection::State::Closed) {
      metrics_.message(Direction::Out, transport, response);
      connection->send(response.to_string(), std::move(on_error));
      return;
    }
  }
  // A request whose Via cannot be read (RFC 4475 badinv01) is still answered: back to where it
  // came from, the only address we know for it.
  const Via* via = response.top_via();
  auto destination = via != nullptr ? route_response(*via, transport)
                                    : base::Expected<Endpoint, std::string>(source.remote);
  if (via == nullptr && source.remote.address.empty()) {
    logger_.warn("dropped a {} response without Via", response.status());
    fail_later(std::move(on_error), "response without Via and no source address");
    return;
  }
  if (!destination) {
    logger_.info("dropped a {} response: {}", response.status(), destination.error());
    fail_later(std::move(on_error), destination.error());
    return;
  }
  metrics_.message(Direction::Out, transport, response);
  UdpListener* udp = nullptr;
  if (!is_reliable(transport)) {
    udp = udp_listener_for(is_v6(*destination), &source.local);
    if (udp == nullptr) {
      logger_.info("dropped a {} response to {}: no UDP listener of that address family",
                   response.status(), destination->to_string());
      fail_later(std::move(on_error), "no UDP listener of that address family");
      return;
    }
  }
  auto report_failure = [logger = logger_, status = response.status(),
                         on_error = std::move(on_error)](std::string_view reason) {
    logger.info("could not send a {} response: {}", status, reason);
    if (on_error) on_error(reason);
  };
  if (udp == nullptr) {
    send_stream(*destination, response.to_string(), std::move(report_failure));
    return;
  }
  std::string bytes = response.to_string();
  metrics_.bytes(Direction::Out, Transport::Udp, bytes.size());
  udp->send_to(std::move(bytes), {*parse_ip_literal(destination->address), destination->port},
               std::move(report_failure));
}

}  // namespace kolokol::sip
