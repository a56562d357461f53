#include "sip/transport/transport_layer.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <filesystem>

#include "sip/transport/ip_address.h"
#include "sip/transport/transport_layer_impl.h"
#include "sip/transport/via_stamping.h"

namespace kolokol::sip {
namespace {

constexpr std::size_t kReadScratchSize = 16 * 1024;
// About 5 MiB of TLS buffers (see trim_heap_after_tls_closes).
constexpr std::size_t kTlsClosesPerTrim = 64;

bool only_crlf(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == '\r' || c == '\n'; });
}

}  // namespace

TransportLayer::Impl::Impl(boost::asio::io_context& io, TransportConfig config,
                           base::MetricsRegistry& metrics, base::Logger logger)
    : io_(io),
      config_(std::move(config)),
      logger_(std::move(logger)),
      metrics_(metrics),
      read_scratch_(kReadScratchSize),
      sweep_timer_(io) {}

base::Expected<TlsFiles, std::string> TransportLayer::Impl::tls_files_for(
    const std::string& certificate_file, const std::string& private_key_file) {
  if (certificate_file.empty() != private_key_file.empty()) {
    return base::unexpected(
        std::string("TLS needs both a certificate file and a private key file"));
  }
  if (!certificate_file.empty()) return TlsFiles{certificate_file, private_key_file, false};
  const std::string dir = (std::filesystem::path(config_.data_dir) / "tls").string();
  auto files = ensure_self_signed_certificate(dir, local_host_name());
  if (!files) return base::unexpected(files.error());
  if (files->generated) {
    logger_.info("generated a self-signed TLS certificate {}", files->certificate);
  }
  return *files;
}

base::Expected<bool, std::string> TransportLayer::Impl::prepare_tls() {
  const bool needs_tls =
      std::any_of(config_.listeners.begin(), config_.listeners.end(),
                  [](const ListenerConfig& l) { return l.transport == Transport::Tls; });
  if (!needs_tls) return true;
  auto files = tls_files_for(config_.tls_certificate_file, config_.tls_private_key_file);
  if (!files) return base::unexpected(files.error());
  auto context = make_tls_context(*files);
  if (!context) return base::unexpected(context.error());
  tls_files_ = *files;
  tls_context_ = *context;
  return true;
}

base::Expected<std::string, std::string> TransportLayer::Impl::reload_tls(
    const std::string& certificate_file, const std::string& private_key_file) {
  if (!tls_context_) return base::unexpected(std::string("no TLS listener is running"));
  auto files = tls_files_for(certificate_file, private_key_file);
  if (!files) return base::unexpected(files.error());
  auto context = make_tls_context(*files);
  if (!context) return base::unexpected(context.error());
  // Open connections are unaffected: each SSL object holds its own reference to the old
  // SSL_CTX, which OpenSSL frees with the last of them.
  tls_context_ = *context;
  tls_files_ = *files;
  config_.tls_certificate_file = certificate_file;
  config_.tls_private_key_file = private_key_file;
  logger_.info("TLS certificate reloaded from {}", tls_files_.certificate);
  return tls_files_.certificate;
}

base::Expected<bool, std::string> TransportLayer::Impl::open_listener(
    const ListenerConfig& listener) {
  auto address = parse_ip_literal(listener.address);
  if (!address) {
    return base::unexpected("listen address " + listener.address + " is no IP address");
  }
  if (listener.transport == Transport::Udp) {
    auto udp = UdpListener::open(io_, {*address, listener.port}, config_.max_message_size, *this);
    if (!udp) return base::unexpected(udp.error());
    udp_listeners_.push_back(*udp);
  } else {
    auto stream = StreamListener::open(io_, listener.transport, {*address, listener.port}, *this);
    if (!stream) return base::unexpected(stream.error());
    stream_listeners_.push_back(*stream);
  }
  return true;
}

base::Expected<std::vector<Endpoint>, std::string> TransportLayer::Impl::start() {
  if (running_) return base::unexpected(std::string("transport layer already started"));
  if (auto tls = prepare_tls(); !tls) return base::unexpected(tls.error());
  std::vector<Endpoint> bound;
  for (const auto& listener : config_.listeners) {
    auto opened = open_listener(listener);
    if (!opened) {
      stop();
      return base::unexpected(opened.error());
    }
  }
  // Bound endpoints in configuration order.
  std::size_t next_udp = 0;
  std::size_t next_stream = 0;
  for (const auto& listener : config_.listeners) {
    if (listener.transport == Transport::Udp) {
      bound.push_back(udp_listeners_[next_udp++]->local());
    } else {
      bound.push_back(stream_listeners_[next_stream++]->local());
    }
  }
  for (auto& udp : udp_listeners_) udp->start();
  for (auto& stream : stream_listeners_) stream->start();
  running_ = true;
  schedule_sweep();
  for (const auto& endpoint : bound) logger_.info("listening on {}", endpoint.to_string());
  return bound;
}

void TransportLayer::Impl::stop() {
  for (auto& udp : udp_listeners_) {
    udp->detach();
    udp->close();
  }
  for (auto& stream : stream_listeners_) {
    stream->detach();
    stream->close();
  }
  udp_listeners_.clear();
  stream_listeners_.clear();
  for (auto& connection : connections_.all()) {
    connection->close("transport stopped");  // reports on_closed: table and gauge follow
    connection->detach();
  }
  sweep_timer_.cancel();
  running_ = false;
}

void TransportLayer::Impl::schedule_sweep() {
  const auto shortest = std::min(config_.idle_timeout, config_.connect_timeout);
  const auto period = std::clamp<std::chrono::milliseconds>(
      shortest / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
  sweep_timer_.expires_after(period);
  sweep_timer_.async_wait(
      [this, alive = std::weak_ptr<int>(lifetime_)](const boost::system::error_code& ec) {
        if (ec || alive.expired() || !running_) return;
        sweep();
        schedule_sweep();
      });
}

void TransportLayer::Impl::sweep() {
  trim_heap_after_tls_closes();
  const base::TimePoint now = base::Clock::now();
  for (auto& connection : connections_.all()) {
    switch (connection->state()) {
      case StreamConnection::State::Open:
        if (now - connection->last_activity() >= config_.idle_timeout) {
          connection->close("idle timeout");
        }
        break;
      case StreamConnection::State::Connecting:
      case StreamConnection::State::Handshaking:
        if (now - connection->state_since() >= config_.connect_timeout) {
          connection->close(connection->state() == StreamConnection::State::Connecting
                                ? "connect timeout"
                                : "TLS handshake timeout");
        }
        break;
      case StreamConnection::State::Closed:
        break;
    }
  }
}

void TransportLayer::Impl::trim_heap_after_tls_closes() {
  // Each TLS connection holds about 76 KiB on the heap that the connection arena cannot take
  // (Asio's and OpenSSL's record buffers, 17 KiB each). Freed, they leave large holes that glibc
  // returns only from the top of a heap, so a burst of TLS connections kept ~70 KiB each after
  // closing (141 MiB for 2,000) and the next burst grew it further. malloc_trim returns the
  // free pages inside those holes; after many closes only, as it walks the whole heap.
  if (tls_closed_since_trim_ < kTlsClosesPerTrim) return;
  tls_closed_since_trim_ = 0;
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

void TransportLayer::Impl::on_datagram(UdpListener& listener, std::string_view bytes,
                                       const boost::asio::ip::udp::endpoint& from) {
  metrics_.bytes(Direction::In, Transport::Udp, bytes.size());
  const Source source{Endpoint{Transport::Udp, from.address().to_string(), from.port()},
                      listener.local(), 0};
  if (only_crlf(bytes)) return;  // keep-alive (RFC 5626 4.4.1 uses STUN; not answered)
  if (bytes.size() > config_.max_message_size) {
    metrics_.parse_error(Transport::Udp);
    logger_.debug("dropped a datagram over {} bytes from {}", config_.max_message_size,
                  source.remote.to_string());
    return;
  }
  while (bytes.substr(0, 2) == "\r\n") bytes.remove_prefix(2);  // RFC 3261 7.5
  deliver(bytes, source, nullptr);
}

void TransportLayer::Impl::on_accept(StreamListener& listener,
                                     boost::asio::ip::tcp::socket socket) {
  const Transport transport = listener.transport();
  if (connections_.size() >= config_.max_connections) {
    boost::system::error_code ignored;
    socket.close(ignored);
    metrics_.connection_rejected(transport);
    ++rejected_since_log_;
    const auto now = base::Clock::now();
    if (now - last_reject_log_ >= std::chrono::seconds(10)) {  // a flood must not flood the log
      logger_.warn("{} connection limit {} reached: closed {} new connection(s) at accept",
                   transport_name(transport), config_.max_connections, rejected_since_log_);
      last_reject_log_ = now;
      rejected_since_log_ = 0;
    }
    return;
  }
  auto connection = std::allocate_shared<StreamConnection>(
      ArenaAllocator<StreamConnection>(connection_arena_), next_connection_id_++, std::move(socket),
      transport == Transport::Tls ? tls_context_.get() : nullptr,
      StreamLimits{config_.max_message_size, config_.max_write_queue}, read_scratch_,
      connection_arena_, *this);
  connections_.add(connection);
  metrics_.connections(transport).add(1);
  metrics_.connection_opened(transport);
  logger_.debug("accepted {} (connection {})", connection->remote().to_string(), connection->id());
  connection->start_accepted();
}

void TransportLayer::Impl::on_open(StreamConnection& connection) {
  if (connection.outbound()) {
    metrics_.connection_opened(connection.transport());
    logger_.debug("connected to {} (connection {})", connection.remote().to_string(),
                  connection.id());
  }
}

void TransportLayer::Impl::on_frame(StreamConnection& connection, std::string_view bytes) {
  const Source source{connection.remote(), connection.local(), connection.id()};
  deliver(bytes, source, &connection);
}

void TransportLayer::Impl::on_closed(StreamConnection& connection, std::string_view reason) {
  logger_.debug("closed connection {} with {}: {}", connection.id(),
                connection.remote().to_string(), reason);
  if (connections_.find(connection.id()) == nullptr) return;
  metrics_.connections(connection.transport()).add(-1);
  connections_.remove(connection.id());
  if (connection.transport() == Transport::Tls) ++tls_closed_since_trim_;
}

void TransportLayer::Impl::on_bytes_sent(StreamConnection& connection, std::size_t bytes) {
  metrics_.bytes(Direction::Out, connection.transport(), bytes);
}

void TransportLayer::Impl::on_bytes_received(StreamConnection& connection, std::size_t bytes) {
  metrics_.bytes(Direction::In, connection.transport(), bytes);
}

void TransportLayer::Impl::deliver(std::string_view bytes, const Source& source,
                                   StreamConnection* connection) {
  const Transport transport = source.remote.transport;
  auto parsed = parse_message(bytes);
  if (!parsed) {
    metrics_.parse_error(transport);
    logger_.debug("unparseable message ({} bytes) from {}: {}", bytes.size(),
                  source.remote.to_string(), parsed.error().reason);
    return;
  }
  Message message = std::move(*parsed);
  if (message.is_response()) {
    if (message.defect()) {
      metrics_.parse_error(transport);
      logger_.debug("dropped a malformed {} response from {}: {}", message.status(),
                    source.remote.to_string(), message.defect()->reason);
      return;
    }
  } else {
    if (message.defect()) metrics_.invalid_request(transport);
    stamp_received_via(message, source.remote);
    // Connection reuse: the peer's Via names where it listens. Only its own address is
    // believed (a different host would let any client capture another host's traffic).
    const Via* via = message.top_via();
    if (connection != nullptr && !connection->outbound() && via != nullptr &&
        transport_from_name(via->transport) == transport) {
      const auto sent_by = parse_ip_literal(via->host);
      if (sent_by && sent_by->to_string() == source.remote.address) {
        connections_.alias(*connection, Endpoint{transport, source.remote.address,
                                                 via->port.value_or(default_port(transport))});
      }
    }
  }
  metrics_.message(Direction::In, transport, message);
  if (handler_) handler_(IncomingMessage{std::move(message), source});
}

TransportLayer::TransportLayer(boost::asio::io_context& io, TransportConfig config,
                               base::MetricsRegistry& metrics, base::Logger logger)
    : impl_(std::make_unique<Impl>(io, std::move(config), metrics, std::move(logger))) {}

TransportLayer::~TransportLayer() {
  impl_->stop();
}

base::Expected<std::vector<Endpoint>, std::string> TransportLayer::start() {
  return impl_->start();
}

void TransportLayer::stop() {
  impl_->stop();
}

void TransportLayer::set_handler(Handler handler) {
  impl_->handler_ = std::move(handler);
}

void TransportLayer::send_request(Message& request, const Endpoint& destination,
                                  ErrorHandler on_error) {
  impl_->send_request(request, destination, std::move(on_error));
}

void TransportLayer::send_response(const Message& response, const Source& request_source,
                                   ErrorHandler on_error) {
  impl_->send_response(response, request_source, std::move(on_error));
}

std::vector<Endpoint> TransportLayer::local_endpoints() const {
  std::vector<Endpoint> out;
  for (const auto& udp : impl_->udp_listeners_) out.push_back(udp->local());
  for (const auto& stream : impl_->stream_listeners_) out.push_back(stream->local());
  return out;
}

std::string TransportLayer::local_host_for(const Endpoint& local, std::string_view remote_address) {
  const auto bound = parse_ip_literal(local.address);
  const auto remote = parse_ip_literal(remote_address);
  if (!bound) return local.address;
  if (!remote) return host_for_header(*bound);
  return impl_->via_host(*bound, *remote);
}

std::size_t TransportLayer::connection_count() const {
  return impl_->connections_.size();
}

base::Expected<std::string, std::string> TransportLayer::reload_tls(
    const std::string& certificate_file, const std::string& private_key_file) {
  return impl_->reload_tls(certificate_file, private_key_file);
}

std::string TransportLayer::tls_certificate_file() const {
  return impl_->tls_context_ ? impl_->tls_files_.certificate : std::string();
}

}  // namespace kolokol::sip
