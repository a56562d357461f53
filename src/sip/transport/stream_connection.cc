#include "sip/transport/stream_connection.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "sip/transport/ip_address.h"

namespace kolokol::sip {
namespace {

constexpr std::size_t kTlsReadSize = 4096;

Endpoint to_endpoint(Transport transport, const boost::asio::ip::tcp::endpoint& endpoint) {
  return Endpoint{transport, endpoint.address().to_string(), endpoint.port()};
}

}  // namespace

StreamConnection::StreamConnection(ConnectionId id, TcpSocket socket,
                                   boost::asio::ssl::context* tls, StreamLimits limits,
                                   std::span<char> scratch, TransportEvents& events)
    : id_(id),
      tls_(tls != nullptr),
      stream_(tls ? std::variant<TcpSocket, TlsStream>(std::in_place_type<TlsStream>,
                                                       std::move(socket), *tls)
                  : std::variant<TcpSocket, TlsStream>(std::in_place_type<TcpSocket>,
                                                       std::move(socket))),
      limits_(limits),
      scratch_(scratch),
      events_(&events),
      framer_(limits.max_message_size),
      state_since_(base::Clock::now()),
      last_activity_(state_since_) {
  boost::system::error_code ec;
  remote_ = to_endpoint(transport(), this->socket().remote_endpoint(ec));
  local_ = to_endpoint(transport(), this->socket().local_endpoint(ec));
}

StreamConnection::StreamConnection(ConnectionId id, boost::asio::io_context& io,
                                   boost::asio::ssl::context* tls, const Endpoint& remote,
                                   StreamLimits limits, std::span<char> scratch,
                                   TransportEvents& events)
    : id_(id),
      tls_(tls != nullptr),
      stream_(tls ? std::variant<TcpSocket, TlsStream>(std::in_place_type<TlsStream>, io, *tls)
                  : std::variant<TcpSocket, TlsStream>(std::in_place_type<TcpSocket>, io)),
      limits_(limits),
      scratch_(scratch),
      events_(&events),
      framer_(limits.max_message_size),
      remote_(remote),
      outbound_(true),
      state_since_(base::Clock::now()),
      last_activity_(state_since_) {
  remote_.transport = transport();
}

StreamConnection::TcpSocket& StreamConnection::socket() {
  if (auto* tls = std::get_if<TlsStream>(&stream_)) return tls->next_layer();
  return std::get<TcpSocket>(stream_);
}

void StreamConnection::set_state(State state) {
  state_ = state;
  state_since_ = base::Clock::now();
}

void StreamConnection::start_accepted() {
  boost::system::error_code ec;
  socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
  if (tls_) {
    handshake();
  } else {
    opened();
  }
}

void StreamConnection::start_connect() {
  set_state(State::Connecting);
  auto address = parse_ip_literal(remote_.address);
  if (!address) {
    close("destination " + remote_.address + " is no IP literal");
    return;
  }
  socket().async_connect(
      boost::asio::ip::tcp::endpoint(*address, remote_.port),
      [self = shared_from_this()](const boost::system::error_code& ec) {
        if (self->state_ == State::Closed) return;
        if (ec) {
          self->close("connect to " + self->remote_.to_string() + " failed: " + ec.message());
          return;
        }
        boost::system::error_code ignored;
        self->local_ = to_endpoint(self->transport(), self->socket().local_endpoint(ignored));
        self->socket().set_option(boost::asio::ip::tcp::no_delay(true), ignored);
        if (self->tls_) {
          self->handshake();
        } else {
          self->opened();
        }
      });
}

void StreamConnection::handshake() {
  set_state(State::Handshaking);
  const auto role =
      outbound_ ? boost::asio::ssl::stream_base::client : boost::asio::ssl::stream_base::server;
  std::get<TlsStream>(stream_).async_handshake(role, [self = shared_from_this()](
                                                         const boost::system::error_code& ec) {
    if (self->state_ == State::Closed) return;
    if (ec) {
      self->close("TLS handshake with " + self->remote_.to_string() + " failed: " + ec.message());
      return;
    }
    self->opened();
  });
}

void StreamConnection::opened() {
  set_state(State::Open);
  last_activity_ = state_since_;
  if (!tls_) {
    boost::system::error_code ignored;
    socket().non_blocking(true, ignored);  // read_some after a readiness wait must not block
  }
  if (events_) events_->on_open(*this);
  write_next();
  read_next();
}

void StreamConnection::read_next() {
  if (state_ != State::Open || events_ == nullptr) return;
  auto self = shared_from_this();
  if (auto* tls = std::get_if<TlsStream>(&stream_)) {
    if (!tls_read_buffer_) tls_read_buffer_ = std::make_unique<char[]>(kTlsReadSize);
    tls->async_read_some(
        boost::asio::buffer(tls_read_buffer_.get(), kTlsReadSize),
        [self](const boost::system::error_code& ec, std::size_t n) {
          if (self->state_ == State::Closed || self->events_ == nullptr) return;
          if (ec) {
            self->close(ec == boost::asio::error::eof ? "closed by peer" : ec.message());
            return;
          }
          self->framer_.append(std::string_view(self->tls_read_buffer_.get(), n));
          self->on_read(n);
        });
    return;
  }
  socket().async_wait(TcpSocket::wait_read, [self](const boost::system::error_code& ec) {
    if (self->state_ == State::Closed || self->events_ == nullptr) return;
    if (ec) {
      self->close(ec.message());
      return;
    }
    boost::system::error_code read_error;
    const std::size_t n = self->socket().read_some(
        boost::asio::buffer(self->scratch_.data(), self->scratch_.size()), read_error);
    if (read_error == boost::asio::error::would_block) {
      self->read_next();
      return;
    }
    if (read_error) {
      self->close(read_error == boost::asio::error::eof ? "closed by peer" : read_error.message());
      return;
    }
    self->framer_.append(std::string_view(self->scratch_.data(), n));
    self->on_read(n);
  });
}

void StreamConnection::on_read(std::size_t bytes_read) {
  auto self = shared_from_this();
  last_activity_ = base::Clock::now();
  events_->on_bytes_received(*this, bytes_read);
  while (state_ != State::Closed && events_ != nullptr) {
    auto frame = framer_.next();
    switch (frame.kind) {
      case StreamFramer::Kind::NeedMore:
        read_next();
        return;
      case StreamFramer::Kind::Message:
        events_->on_frame(*this, frame.bytes);
        break;
      case StreamFramer::Kind::Ping:
        send("\r\n", {});  // RFC 5626 3.5.1 pong
        break;
      case StreamFramer::Kind::Error:
        close(frame.error);
        return;
    }
  }
}

void StreamConnection::send(std::string bytes, TransportSink::ErrorHandler on_error) {
  if (state_ == State::Closed) {
    if (on_error) {
      boost::asio::post(socket().get_executor(),
                        [on_error = std::move(on_error)] { on_error("connection closed"); });
    }
    return;
  }
  if (queued_bytes_ + bytes.size() > limits_.max_write_queue) {
    if (on_error) {
      boost::asio::post(socket().get_executor(),
                        [on_error = std::move(on_error)] { on_error("send queue full"); });
    }
    close("peer reads too slowly: send queue over " + std::to_string(limits_.max_write_queue) +
          " bytes");
    return;
  }
  queued_bytes_ += bytes.size();
  queue_.push_back(Pending{std::move(bytes), std::move(on_error)});
  write_next();
}

void StreamConnection::write_next() {
  if (writing_ || queue_.empty() || state_ != State::Open) return;
  writing_ = true;
  auto handler = [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
    self->writing_ = false;
    if (self->state_ == State::Closed) return;
    if (ec) {
      self->close("write failed: " + ec.message());
      return;
    }
    self->last_activity_ = base::Clock::now();
    if (self->events_) self->events_->on_bytes_sent(*self, n);
    self->queued_bytes_ -= self->queue_.front().bytes.size();
    self->queue_.pop_front();
    self->write_next();
  };
  auto buffer = boost::asio::buffer(queue_.front().bytes);
  std::visit([&](auto& stream) { boost::asio::async_write(stream, buffer, std::move(handler)); },
             stream_);
}

void StreamConnection::fail_pending(std::string_view reason) {
  // The bytes stay: a write in flight may still reference the front buffer until its handler.
  for (auto& pending : queue_) {
    if (auto on_error = std::exchange(pending.on_error, nullptr)) {
      boost::asio::post(socket().get_executor(), [on_error = std::move(on_error),
                                                  why = std::string(reason)] { on_error(why); });
    }
  }
}

void StreamConnection::close(std::string_view reason) {
  if (state_ == State::Closed) return;
  auto self = shared_from_this();  // on_closed may drop the layer's reference
  set_state(State::Closed);
  boost::system::error_code ignored;
  socket().close(ignored);
  fail_pending(reason);
  if (events_) events_->on_closed(*this, reason);
}

}  // namespace kolokol::sip
