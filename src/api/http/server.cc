// The only translation unit that includes Beast: each one costs ~10 s and 500 MB to compile.
#include "api/http/server.h"

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <unordered_set>

#include "runtime/event_loop.h"

namespace kolokol::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

Request to_request(const BeastRequest& in) {
  Request out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  const auto question = out.target.find('?');
  out.path = out.target.substr(0, question);
  if (question != std::string::npos) out.query = out.target.substr(question + 1);
  for (const auto& field : in) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = in.body();
  return out;
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Router router, base::Logger log)
      : options_(std::move(options)),
        router_(std::move(router)),
        log_(std::move(log)),
        loop_("http"),
        acceptor_(loop_.context()) {}

  base::Expected<std::uint16_t, std::string> start();
  void stop(std::chrono::milliseconds grace);
  std::uint16_t port() const { return port_; }

 private:
  class Session;
  friend class Session;

  void accept();
  void session_closed(Session* session);

  const ServerOptions options_;
  const Router router_;
  base::Logger log_;
  // Declared before loop_: sessions still queued in the io_context unregister themselves when
  // the loop is destroyed, so the set must outlive it.
  std::unordered_set<Session*> sessions_;
  bool stopping_ = false;
  std::optional<std::promise<void>> drained_;
  runtime::EventLoop loop_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  bool started_ = false;
};

// One client connection: read a request, answer it, repeat while keep-alive.
class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
    server_.sessions_.insert(this);
  }
  ~Session() { server_.session_closed(this); }

  void read() {
    if (server_.stopping_) return close();
    reading_ = true;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options_.max_header_bytes));
    parser_->body_limit(server_.options_.max_body_bytes);
    stream_.expires_after(server_.options_.read_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  // Called on stop: a connection waiting for its next request is closed at once; one being
  // answered closes after its response.
  void shut_down() {
    if (reading_) close();
  }

 private:
  void on_read(beast::error_code ec) {
    reading_ = false;
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::eof) {
      return close();
    }
    if (ec == bhttp::error::body_limit) return reply(problem(413, "request body too large"), false);
    if (ec == bhttp::error::header_limit)
      return reply(problem(431, "request headers too large"), false);
    if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      return reply(problem(400, "malformed request: " + ec.message()), false);
    }
    if (ec) return close();
    const BeastRequest& request = parser_->get();
    Response response = server_.router_.dispatch(to_request(request));
    reply(std::move(response), request.keep_alive() && !server_.stopping_, request.version());
  }

  void reply(Response response, bool keep_alive, unsigned version = 11) {
    // RFC 9110 6.4.1: these never carry content, and Beast throws if asked to prepare one.
    const bool bodiless = response.status < 200 || response.status == 204 || response.status == 304;
    if (bodiless) response.body.clear();
    response_.emplace();
    response_->version(version);
    response_->result(static_cast<unsigned>(response.status));
    response_->set(bhttp::field::server, server_.options_.server_name);
    if (!response.content_type.empty()) {
      response_->set(bhttp::field::content_type, response.content_type);  // none for a 204
    }
    for (auto& [name, value] : response.headers) response_->set(name, value);
    response_->body() = std::move(response.body);
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    // RFC 9110 8.6: no Content-Length in a 1xx or 204 (Beast 1.74 adds "0").
    if (bodiless) response_->erase(bhttp::field::content_length);
    stream_.expires_after(server_.options_.read_timeout);
    bhttp::async_write(stream_, *response_,
                       [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                         if (ec || !keep_alive) return self->close();
                         self->read();
                       });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<BeastResponse> response_;
  bool reading_ = false;
};

base::Expected<std::uint16_t, std::string> Server::Impl::start() {
  const std::string where = options_.address + ":" + std::to_string(options_.port);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options_.address, ec);
  if (ec) return base::unexpected("HTTP address " + options_.address + ": " + ec.message());
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.close();
    return base::unexpected("cannot listen for HTTP on " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  loop_.start();
  started_ = true;
  loop_.post([this] { accept(); });
  return port_;
}

void Server::Impl::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || stopping_) return;
    if (!ec) {
      if (sessions_.size() >= options_.max_connections) {
        log_.warn("refusing HTTP connection: {} connections open", sessions_.size());
        socket.close(ec);
      } else {
        std::make_shared<Session>(*this, std::move(socket))->read();
      }
    } else {
      log_.warn("HTTP accept failed: {}", ec.message());
    }
    accept();
  });
}

void Server::Impl::session_closed(Session* session) {
  sessions_.erase(session);
  if (stopping_ && sessions_.empty() && drained_) {
    drained_->set_value();
    drained_.reset();
  }
}

void Server::Impl::stop(std::chrono::milliseconds grace) {
  if (!started_) return;
  started_ = false;
  auto drained = std::make_shared<std::promise<void>>();
  auto done = drained->get_future();
  loop_.post([this, drained] {
    stopping_ = true;
    beast::error_code ignored;
    acceptor_.close(ignored);
    if (sessions_.empty()) return drained->set_value();
    drained_.emplace(std::move(*drained));
    // Copy first: closing a session can destroy it, which edits the set.
    const std::vector<Session*> open(sessions_.begin(), sessions_.end());
    for (Session* session : open) session->shut_down();
  });
  if (done.wait_for(grace) != std::future_status::ready) {
    log_.warn("HTTP stop: connections still open after {} ms; closing them", grace.count());
  }
  loop_.stop();
}

Server::Server(ServerOptions options, Router router, base::Logger log)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), std::move(log))) {}

Server::~Server() {
  stop();
}

base::Expected<std::uint16_t, std::string> Server::start() {
  return impl_->start();
}

std::uint16_t Server::port() const {
  return impl_->port();
}

void Server::stop(std::chrono::milliseconds grace) {
  impl_->stop(grace);
}

}  // namespace kolokol::http
