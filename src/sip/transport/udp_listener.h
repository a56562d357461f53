#pragma once

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <string>
#include <vector>

#include "base/expected.h"
#include "sip/transport/endpoint.h"
#include "sip/transport/transport_events.h"
#include "sip/transport/transport_sink.h"

namespace kolokol::sip {

// A bound UDP socket: receives datagrams (one SIP message each) and sends through the same
// socket, so replies leave from the port the peer talks to (NAT bindings, rport).
class UdpListener : public std::enable_shared_from_this<UdpListener> {
 public:
  // Binds; the error names the address. max_datagram: larger datagrams are reported truncated
  // to max_datagram + 1 bytes so the layer can tell them apart.
  static base::Expected<std::shared_ptr<UdpListener>, std::string> open(
      boost::asio::io_context& io, const boost::asio::ip::udp::endpoint& bind,
      std::size_t max_datagram, TransportEvents& events);

  void start();
  void send_to(std::string bytes, const boost::asio::ip::udp::endpoint& destination,
               TransportSink::ErrorHandler on_error);
  void close();
  void detach() { events_ = nullptr; }

  const Endpoint& local() const { return local_; }
  const boost::asio::ip::udp::endpoint& bound() const { return bound_; }

  UdpListener(boost::asio::ip::udp::socket socket, std::size_t max_datagram,
              TransportEvents& events);

 private:
  void receive_next();

  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::endpoint bound_;
  Endpoint local_;
  std::vector<char> buffer_;
  boost::asio::ip::udp::endpoint sender_;
  TransportEvents* events_;
};

}  // namespace kolokol::sip
