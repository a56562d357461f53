#include "sip/transport/udp_listener.h"

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>

namespace kolokol::sip {

base::Expected<std::shared_ptr<UdpListener>, std::string> UdpListener::open(
    boost::asio::io_context& io, const boost::asio::ip::udp::endpoint& bind,
    std::size_t max_datagram, TransportEvents& events) {
  boost::asio::ip::udp::socket socket(io);
  boost::system::error_code ec;
  const std::string where =
      "UDP " + bind.address().to_string() + " port " + std::to_string(bind.port());
  socket.open(bind.protocol(), ec);
  if (!ec && bind.address().is_v6()) socket.set_option(boost::asio::ip::v6_only(true), ec);
  if (!ec) socket.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) socket.bind(bind, ec);
  if (ec) return base::unexpected("cannot listen on " + where + ": " + ec.message());
  return std::make_shared<UdpListener>(std::move(socket), max_datagram, events);
}

UdpListener::UdpListener(boost::asio::ip::udp::socket socket, std::size_t max_datagram,
                         TransportEvents& events)
    : socket_(std::move(socket)), buffer_(max_datagram + 1), events_(&events) {
  boost::system::error_code ec;
  bound_ = socket_.local_endpoint(ec);
  local_ = Endpoint{Transport::Udp, bound_.address().to_string(), bound_.port()};
}

void UdpListener::start() {
  receive_next();
}

void UdpListener::receive_next() {
  if (!socket_.is_open() || events_ == nullptr) return;
  socket_.async_receive_from(
      boost::asio::buffer(buffer_), sender_,
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        if (self->events_ == nullptr || !self->socket_.is_open()) return;
        if (ec == boost::asio::error::operation_aborted) return;
        // Other errors are per datagram (ICMP port unreachable shows up as connection_refused
        // on the next receive): keep listening.
        if (!ec)
          self->events_->on_datagram(*self, std::string_view(self->buffer_.data(), n),
                                     self->sender_);
        self->receive_next();
      });
}

void UdpListener::send_to(std::string bytes, const boost::asio::ip::udp::endpoint& destination,
                          TransportSink::ErrorHandler on_error) {
  auto data = std::make_shared<std::string>(std::move(bytes));
  socket_.async_send_to(boost::asio::buffer(*data), destination,
                        [data, on_error = std::move(on_error), destination](
                            const boost::system::error_code& ec, std::size_t) {
                          if (ec && on_error) {
                            on_error("UDP send to " + destination.address().to_string() + ":" +
                                     std::to_string(destination.port()) +
                                     " failed: " + ec.message());
                          }
                        });
}

void UdpListener::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace kolokol::sip
