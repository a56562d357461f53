#pragma once

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "base/expected.h"
#include "sip/transport/endpoint.h"
#include "sip/transport/transport_events.h"

namespace kolokol::sip {

// A TCP acceptor for the TCP or TLS transport. Accepted sockets go to TransportEvents, which
// wraps them in a StreamConnection (or closes them when over the connection limit).
class StreamListener : public std::enable_shared_from_this<StreamListener> {
 public:
  static base::Expected<std::shared_ptr<StreamListener>, std::string> open(
      boost::asio::io_context& io, Transport transport, const boost::asio::ip::tcp::endpoint& bind,
      TransportEvents& events);

  void start();
  void close();
  void detach() { events_ = nullptr; }

  Transport transport() const { return local_.transport; }
  const Endpoint& local() const { return local_; }
  const boost::asio::ip::tcp::endpoint& bound() const { return bound_; }

  StreamListener(boost::asio::ip::tcp::acceptor acceptor, Transport transport,
                 TransportEvents& events);

 private:
  void accept_next();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::ip::tcp::endpoint bound_;
  Endpoint local_;
  TransportEvents* events_;
};

}  // namespace kolokol::sip
