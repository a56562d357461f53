#pragma once

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <list>
#include <memory>
#include <memory_resource>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/clock.h"
#include "sip/transport/connection_arena.h"
#include "sip/transport/endpoint.h"
#include "sip/transport/stream_framer.h"
#include "sip/transport/transport_events.h"
#include "sip/transport/transport_sink.h"

namespace kolokol::sip {

struct StreamLimits {
  std::size_t max_message_size = 64 * 1024;
  std::size_t max_write_queue = 1024 * 1024;
};

// One TCP or TLS connection, accepted or opened by us. Frames the incoming stream, answers
// CRLF pings, queues outgoing messages (while connecting too) and reports through
// TransportEvents. Lives in a shared_ptr: pending operations keep it alive after the layer let
// go of it. Single-threaded: every call and completion runs on the io_context's thread.
// Create it with std::allocate_shared and an ArenaAllocator on the same arena it gets: its own
// memory, its buffers and its socket operations then all come from that arena.
class StreamConnection : public std::enable_shared_from_this<StreamConnection> {
 public:
  using TcpSocket = boost::asio::ip::tcp::socket;
  using TlsStream = boost::asio::ssl::stream<TcpSocket>;
  enum class State { Connecting, Handshaking, Open, Closed };

  // Accepted: tls is null for TCP. Only the constructor uses tls: the SSL object it creates
  // holds its own reference to the native context, so a TLS reload may free tls afterwards.
  // scratch is the layer's shared read buffer (TCP reads wait for readability and then read
  // into it, so idle connections hold no read buffer).
  StreamConnection(ConnectionId id, TcpSocket socket, boost::asio::ssl::context* tls,
                   StreamLimits limits, std::span<char> scratch,
                   std::shared_ptr<ConnectionArena> arena, TransportEvents& events);
  // Outgoing, not yet connected.
  StreamConnection(ConnectionId id, boost::asio::io_context& io, boost::asio::ssl::context* tls,
                   const Endpoint& remote, StreamLimits limits, std::span<char> scratch,
                   std::shared_ptr<ConnectionArena> arena, TransportEvents& events);

  void start_accepted();
  void start_connect();

  // Queues bytes; on_error (may be empty) is posted if they are never written.
  void send(std::string bytes, TransportSink::ErrorHandler on_error);
  // Idempotent. Reports on_closed once (while attached) and fails queued sends with reason.
  void close(std::string_view reason);
  // The layer is going away: no more events.
  void detach() { events_ = nullptr; }

  ConnectionId id() const { return id_; }
  Transport transport() const { return tls_ ? Transport::Tls : Transport::Tcp; }
  bool outbound() const { return outbound_; }
  State state() const { return state_; }
  const Endpoint& remote() const { return remote_; }
  const Endpoint& local() const { return local_; }
  base::TimePoint last_activity() const { return last_activity_; }
  base::TimePoint state_since() const { return state_since_; }

 private:
  struct Pending {
    std::string bytes;
    TransportSink::ErrorHandler on_error;
  };

  TcpSocket& socket();
  void set_state(State state);
  void handshake();
  void opened();
  void read_next();
  void on_readable(const boost::system::error_code& ec);  // TCP: the socket can be read
  void on_read(std::size_t bytes_read);
  void write_next();
  void fail_pending(std::string_view reason);
  template <class Handler>
  auto in_arena(Handler handler);

  ConnectionId id_;
  std::shared_ptr<ConnectionArena> arena_;
  bool tls_;  // not the context: that may be replaced by a reload while this connection lives
  std::variant<TcpSocket, TlsStream> stream_;
  StreamLimits limits_;
  std::span<char> scratch_;
  std::pmr::vector<char> tls_read_buffer_;  // TLS only: OpenSSL reads need their own buffer
  TransportEvents* events_;
  StreamFramer framer_;
  Endpoint remote_;
  Endpoint local_;
  bool outbound_ = false;
  State state_ = State::Connecting;
  base::TimePoint state_since_;
  base::TimePoint last_activity_;
  std::pmr::list<Pending> queue_;  // a deque would allocate 576 bytes even while empty
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
};

}  // namespace kolokol::sip
