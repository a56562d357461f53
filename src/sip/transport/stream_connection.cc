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

// A completion handler whose associated allocator is the connection's arena: Asio allocates
// the operation (and a composed operation's steps) there instead of on the heap.
template <class Handler>
class ArenaHandler {
 public:
  using allocator_type = ArenaAllocator<void>;

  ArenaHandler(allocator_type allocator, Handler handler)
      : allocator_(std::move(allocator)), handler_(std::move(handler)) {}

  allocator_type get_allocator() const noexcept { return allocator_; }

  template <class... Args>
  void operator()(Args&&... args) {
    handler_(std::forward<Args>(args)...);
  }

 private:
  allocator_type allocator_;
  Handler handler_;
};

}  // namespace

template <class Handler>
auto StreamConnection::in_arena(Handler handler) {
  return ArenaHandler<Handler>(ArenaAllocator<void>(arena_), std::move(handler));
}

StreamConnection::StreamConnection(ConnectionId id, TcpSocket socket,
                                   boost::asio::ssl::context* tls, StreamLimits limits,
                                   std::span<char> scratch, std::shared_ptr<ConnectionArena> arena,
                                   TransportEvents& events)
    : id_(id),
      arena_(std::move(arena)),
      tls_(tls != nullptr),
      stream_(tls ? std::variant<TcpSocket, TlsStream>(std::in_place_type<TlsStream>,
                                                       std::move(socket), *tls)
                  : std::variant<TcpSocket, TlsStream>(std::in_place_type<TcpSocket>,
                                                       std::move(socket))),
      limits_(limits),
      scratch_(scratch),
      tls_read_buffer_(arena_.get()),
      events_(&events),
      framer_(limits.max_message_size, arena_.get()),
      state_since_(base::Clock::now()),
      last_activity_(state_since_),
      queue_(arena_.get()) {
  boost::system::error_code ec;
  remote_ = to_endpoint(transport(), this->socket().remote_endpoint(ec));
  local_ = to_endpoint(transport(), this->socket().local_endpoint(ec));
}

StreamConnection::StreamConnection(ConnectionId id, boost::asio::io_context& io,
                                   boost::asio::ssl::context* tls, const Endpoint& remote,
                                   StreamLimits limits, std::span<char> scratch,
                                   std::shared_ptr<ConnectionArena> arena, TransportEvents& events)
    : id_(id),
      arena_(std::move(arena)),
      tls_(tls != nullptr),
      stream_(tls ? std::variant<TcpSocket, TlsStream>(std::in_place_type<TlsStream>, io, *tls)
                  : std::variant<TcpSocket, TlsStream>(std::in_place_type<TcpSocket>, io)),
      limits_(limits),
      scratch_(scratch),
      tls_read_buffer_(arena_.get()),
      events_(&events),
      framer_(limits.max_message_size, arena_.get()),
      remote_(remote),
      outbound_(true),
      state_since_(base::Clock::now()),
      last_activity_(state_since_),
      queue_(arena_.get()) {
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
      in_arena([self = shared_from_this()](const boost::system::error_code& ec) {
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
      }));
}

void StreamConnection::handshake() {
  set_state(State::Handshaking);
  const auto role =
      outbound_ ? boost::asio::ssl::stream_base::client : boost::asio::ssl::stream_base::server;
  std::get<TlsStream>(stream_).async_handshake(
      role, in_arena([self = shared_from_this()](const boost::system::error_code& ec) {
        if (self->state_ == State::Closed) return;
        if (ec) {
          self->close("TLS handshake with " + self->remote_.to_string() +
                      " failed: " + ec.message());
          return;
        }
        self->opened();
      }));
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
    if (tls_read_buffer_.empty()) tls_read_buffer_.resize(kTlsReadSize);
    tls->async_read_some(
        boost::asio::buffer(tls_read_buffer_),
        in_arena([self](const boost::system::error_code& ec, std::size_t n) {
          if (self->state_ == State::Closed || self->events_ == nullptr) return;
          if (ec) {
            self->close(ec == boost::asio::error::eof ? "closed by peer" : ec.message());
            return;
          }
          self->framer_.append(std::string_view(self->tls_read_buffer_.data(), n));
          self->on_read(n);
        }));
    return;
  }
  auto readable = [self](const boost::system::error_code& ec) { self->on_readable(ec); };
  socket().async_wait(TcpSocket::wait_read, in_arena(std::move(readable)));
}

void StreamConnection::on_readable(const boost::system::error_code& ec) {
  if (state_ == State::Closed || events_ == nullptr) return;
  if (ec) {
    close(ec.message());
    return;
  }
  boost::system::error_code read_error;
  const std::size_t n =
      socket().read_some(boost::asio::buffer(scratch_.data(), scratch_.size()), read_error);
  if (read_error == boost::asio::error::would_block) {
    read_next();
    return;
  }
  if (read_error) {
    close(read_error == boost::asio::error::eof ? "closed by peer" : read_error.message());
    return;
  }
  framer_.append(std::string_view(scratch_.data(), n));
  on_read(n);
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
  auto handler =
      in_arena([self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
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
      });
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
