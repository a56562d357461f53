#include "sip/transport/stream_listener.h"

#include <boost/asio/ip/v6_only.hpp>

namespace kolokol::sip {

base::Expected<std::shared_ptr<StreamListener>, std::string> StreamListener::open(
    boost::asio::io_context& io, Transport transport, const boost::asio::ip::tcp::endpoint& bind,
    TransportEvents& events) {
  boost::asio::ip::tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  const std::string where = std::string(transport_name(transport)) + " " +
                            bind.address().to_string() + " port " + std::to_string(bind.port());
  acceptor.open(bind.protocol(), ec);
  if (!ec && bind.address().is_v6()) acceptor.set_option(boost::asio::ip::v6_only(true), ec);
  if (!ec) acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(bind, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return base::unexpected("cannot listen on " + where + ": " + ec.message());
  return std::make_shared<StreamListener>(std::move(acceptor), transport, events);
}

StreamListener::StreamListener(boost::asio::ip::tcp::acceptor acceptor, Transport transport,
                               TransportEvents& events)
    : acceptor_(std::move(acceptor)), retry_timer_(acceptor_.get_executor()), events_(&events) {
  boost::system::error_code ec;
  bound_ = acceptor_.local_endpoint(ec);
  local_ = Endpoint{transport, bound_.address().to_string(), bound_.port()};
}

void StreamListener::start() {
  accept_next();
}

void StreamListener::accept_next() {
  if (!acceptor_.is_open() || events_ == nullptr) return;
  acceptor_.async_accept([self = shared_from_this()](const boost::system::error_code& ec,
                                                     boost::asio::ip::tcp::socket socket) {
    if (self->events_ == nullptr || !self->acceptor_.is_open()) return;
    if (ec == boost::asio::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors (EMFILE/ENFILE) or memory: the pending connection stays in the
      // backlog and accept would fail again at once, so pause instead of spinning.
      self->retry_timer_.expires_after(std::chrono::milliseconds(100));
      self->retry_timer_.async_wait([self](const boost::system::error_code& wait_error) {
        if (!wait_error) self->accept_next();
      });
      return;
    }
    self->events_->on_accept(*self, std::move(socket));
    self->accept_next();
  });
}

void StreamListener::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
}

}  // namespace kolokol::sip
