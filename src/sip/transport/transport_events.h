#pragma once

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <string_view>

namespace kolokol::sip {

class StreamConnection;
class StreamListener;
class UdpListener;

// What the sockets report to the transport layer. Every socket object holds a pointer to this
// and drops it in detach(), so completions that arrive after the layer stopped go nowhere.
class TransportEvents {
 public:
  virtual ~TransportEvents() = default;
  virtual void on_datagram(UdpListener& listener, std::string_view bytes,
                           const boost::asio::ip::udp::endpoint& from) = 0;
  virtual void on_accept(StreamListener& listener, boost::asio::ip::tcp::socket socket) = 0;
  virtual void on_open(StreamConnection& connection) = 0;  // connected (+ TLS handshake done)
  virtual void on_frame(StreamConnection& connection, std::string_view bytes) = 0;
  virtual void on_closed(StreamConnection& connection, std::string_view reason) = 0;
  virtual void on_bytes_sent(StreamConnection& connection, std::size_t bytes) = 0;
  virtual void on_bytes_received(StreamConnection& connection, std::size_t bytes) = 0;
};

}  // namespace kolokol::sip
