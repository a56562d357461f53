#pragma once

// Private to the transport layer: TransportLayer's state and its socket event handling.

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sip/transport/connection_arena.h"
#include "sip/transport/connection_table.h"
#include "sip/transport/stream_listener.h"
#include "sip/transport/tls_credentials.h"
#include "sip/transport/transport_events.h"
#include "sip/transport/transport_layer.h"
#include "sip/transport/transport_metrics.h"
#include "sip/transport/udp_listener.h"

namespace kolokol::sip {

// Only TransportLayer sees it, hence the open members.
class TransportLayer::Impl final : public TransportEvents {
 public:
  Impl(boost::asio::io_context& io, TransportConfig config, base::MetricsRegistry& metrics,
       base::Logger logger);

  base::Expected<std::vector<Endpoint>, std::string> start();
  void stop();

  // transport_layer_send.cc
  void send_request(Message& request, const Endpoint& destination, ErrorHandler on_error);
  void send_response(const Message& response, const Source& source, ErrorHandler on_error);

  // TransportEvents
  void on_datagram(UdpListener& listener, std::string_view bytes,
                   const boost::asio::ip::udp::endpoint& from) override;
  void on_accept(StreamListener& listener, boost::asio::ip::tcp::socket socket) override;
  void on_open(StreamConnection& connection) override;
  void on_frame(StreamConnection& connection, std::string_view bytes) override;
  void on_closed(StreamConnection& connection, std::string_view reason) override;
  void on_bytes_sent(StreamConnection& connection, std::size_t bytes) override;
  void on_bytes_received(StreamConnection& connection, std::size_t bytes) override;

  boost::asio::io_context& io_;
  TransportConfig config_;
  base::Logger logger_;
  TransportMetrics metrics_;
  Handler handler_;

  std::vector<std::shared_ptr<UdpListener>> udp_listeners_;
  std::vector<std::shared_ptr<StreamListener>> stream_listeners_;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;
  TlsFiles tls_files_;
  // Per-connection memory, apart from the heap (see ConnectionArena). Shared: connections with
  // pending operations may outlive the layer.
  std::shared_ptr<ConnectionArena> connection_arena_ = std::make_shared<ConnectionArena>();
  ConnectionTable connections_{connection_arena_.get()};
  std::vector<char> read_scratch_;  // shared by all TCP reads (single-threaded)
  boost::asio::steady_timer sweep_timer_;
  ConnectionId next_connection_id_ = 1;
  bool running_ = false;
  // Destination address -> our address the kernel routes from (Via sent-by for wildcard binds).
  std::unordered_map<std::string, std::string> route_cache_;
  // Expires with the layer: handlers that cannot be cancelled any more check it first.
  std::shared_ptr<int> lifetime_ = std::make_shared<int>(0);
  base::TimePoint last_reject_log_{};
  std::uint64_t rejected_since_log_ = 0;
  std::size_t tls_closed_since_trim_ = 0;

  // transport_layer.cc
  base::Expected<bool, std::string> prepare_tls();
  base::Expected<TlsFiles, std::string> tls_files_for(const std::string& certificate_file,
                                                      const std::string& private_key_file);
  base::Expected<std::string, std::string> reload_tls(const std::string& certificate_file,
                                                      const std::string& private_key_file);
  base::Expected<bool, std::string> open_listener(const ListenerConfig& listener);
  void schedule_sweep();
  void sweep();
  void trim_heap_after_tls_closes();
  void deliver(std::string_view bytes, const Source& source, StreamConnection* connection);

  // transport_layer_send.cc
  void send_stream(const Endpoint& destination, std::string bytes, ErrorHandler on_error);
  UdpListener* udp_listener_for(bool v6, const Endpoint* preferred_local);
  StreamListener* stream_listener_for(Transport transport, bool v6);
  std::string via_host(const boost::asio::ip::address& bound,
                       const boost::asio::ip::address& destination);
  void fail_later(ErrorHandler on_error, std::string reason);
};

}  // namespace kolokol::sip
