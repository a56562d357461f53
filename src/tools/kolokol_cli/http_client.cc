// The only translation unit of the CLI that includes Beast (slow to compile).
#include "kolokol_cli/http_client.h"

#include <utility>  // before Asio: its awaitable.hpp forgets it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <exception>
#include <optional>

namespace kolokol::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t kMaxAnswerBytes = 64 * 1024 * 1024;

}  // namespace

base::Expected<ServerUrl, std::string> parse_server_url(const std::string& text) {
  constexpr std::string_view kScheme = "http://";
  if (text.rfind(kScheme, 0) != 0) {
    return base::unexpected("--url " + text + ": expected http://host[:port]" +
                            (text.rfind("https://", 0) == 0
                                 ? " (https is not supported: put a TLS proxy's plain side here)"
                                 : ""));
  }
  ServerUrl url;
  url.text = text;
  std::string rest = text.substr(kScheme.size());
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    url.prefix = rest.substr(slash);
    rest.resize(slash);
    while (!url.prefix.empty() && url.prefix.back() == '/') url.prefix.pop_back();
  }
  std::string port;
  if (!rest.empty() && rest.front() == '[') {  // [::1]:8080
    const auto close = rest.find(']');
    if (close == std::string::npos) return base::unexpected("--url " + text + ": unclosed '['");
    url.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return base::unexpected("--url " + text + ": bad port");
      port = rest.substr(close + 2);
    }
  } else {
    const auto colon = rest.find(':');
    url.host = rest.substr(0, colon);
    if (colon != std::string::npos) port = rest.substr(colon + 1);
  }
  if (url.host.empty()) return base::unexpected("--url " + text + ": no host");
  if (!port.empty() || rest.find(':') != std::string::npos) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || error != std::errc() || end != port.data() + port.size() || value == 0 ||
        value > 65535) {
      return base::unexpected("--url " + text + ": bad port");
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  return url;
}

std::string percent_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

HttpClient::HttpClient(ServerUrl url, std::string token, std::chrono::milliseconds timeout)
    : url_(std::move(url)), token_(std::move(token)), timeout_(timeout) {}

base::Expected<HttpAnswer, std::string> HttpClient::send(const std::string& method,
                                                         const std::string& target,
                                                         const std::string& body) const {
  bhttp::request<bhttp::string_body> request;
  request.method_string(method);
  request.target(url_.prefix + target);
  request.version(11);
  const bool ipv6 = url_.host.find(':') != std::string::npos;
  request.set(bhttp::field::host,
              (ipv6 ? "[" + url_.host + "]" : url_.host) + ":" + std::to_string(url_.port));
  request.set(bhttp::field::user_agent, "kolokol-cli");
  request.set(bhttp::field::accept, "application/json, application/problem+json");
  if (!token_.empty()) request.set(bhttp::field::authorization, "Bearer " + token_);
  if (!body.empty()) {
    request.set(bhttp::field::content_type, "application/json");
    request.body() = body;
  }
  request.keep_alive(false);
  request.prepare_payload();

  asio::io_context io;
  std::optional<HttpAnswer> answer;
  std::string failure;
  // Asynchronous inside so that every step has a time limit (tcp_stream's expiry applies to
  // asynchronous operations only); the caller just waits.
  auto exchange = [&]() -> asio::awaitable<void> {
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    const auto endpoints =
        co_await resolver.async_resolve(url_.host, std::to_string(url_.port), asio::use_awaitable);
    stream.expires_after(timeout_);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    stream.expires_after(timeout_);
    co_await bhttp::async_write(stream, request, asio::use_awaitable);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxAnswerBytes);
    stream.expires_after(timeout_);
    co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
    const auto& response = parser.get();
    answer = HttpAnswer{static_cast<int>(response.result_int()),
                        std::string(response[bhttp::field::content_type]), response.body()};
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  };
  asio::co_spawn(io, exchange(), [&](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const boost::system::system_error& e) {
      failure = e.code() == beast::error::timeout
                    ? "no answer within " + std::to_string(timeout_.count() / 1000) + " s"
                    : e.code().message();
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  io.run();
  if (!answer) return base::unexpected(failure.empty() ? std::string("no answer") : failure);
  return *answer;
}

}  // namespace kolokol::cli
