#include "api/http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "api/http/health.h"
#include "api/http/standard_routes.h"

namespace kolokol::http {
namespace {

// A blocking loopback client speaking raw bytes, so malformed requests can be sent as-is. The
// receive timeout only guards against a hung test; every read here completes at once.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawClient() { ::close(fd_); }

  bool connected() const { return connected_; }

  void send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may close early (413): the test reads its answer
      sent += static_cast<std::size_t>(n);
    }
  }

  // One response: headers, then Content-Length bytes of body. "" when the connection closed.
  std::string read_response() {
    while (true) {
      const auto end = pending_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        const auto at = pending_.find("Content-Length: ");
        if (at != std::string::npos && at < end) length = std::stoul(pending_.substr(at + 16));
        if (pending_.size() >= end + 4 + length) {
          std::string response = pending_.substr(0, end + 4 + length);
          pending_.erase(0, end + 4 + length);
          return response;
        }
      }
      if (!fill()) return {};
    }
  }

  // True when the server closed the connection (read returns 0 or reset).
  bool closed_by_peer() {
    char byte;
    const auto n = ::recv(fd_, &byte, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool fill() {
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    pending_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

std::string get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n";
}

int status_of(const std::string& response) {
  if (response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

std::string body_of(const std::string& response) {
  return response.substr(response.find("\r\n\r\n") + 4);
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    health_.set_ready();
    metrics_.counter("sip_messages_total", "SIP messages", {{"method", "OPTIONS"}}).inc(3);
    Router router;
    add_standard_routes(router, health_, metrics_);
    router.add("POST", "/echo", [](const Request& request) {
      return Response{200, "text/plain", request.body, {}};
    });
    router.add("DELETE", "/items/{id}", [](const Request& request) {
      Response response{204, "", "ignored: a 204 has no content", {}};
      response.headers.emplace_back("X-Removed", request.path_param("id"));
      return response;
    });
    ServerOptions options;
    options.port = 0;
    options.max_body_bytes = 1024;
    options.max_header_bytes = 2048;
    options.read_timeout = std::chrono::milliseconds(300);
    options.max_connections = 8;
    server_ = std::make_unique<Server>(options, std::move(router), base::Logger());
    auto port = server_->start();
    ASSERT_TRUE(port.has_value()) << port.error();
    port_ = *port;
    ASSERT_NE(port_, 0);
  }

  // The server still answers: the check after every abuse.
  void expect_alive() {
    RawClient client(port_);
    ASSERT_TRUE(client.connected());
    client.send(get("/health"));
    EXPECT_EQ(status_of(client.read_response()), 200);
  }

  HealthState health_{"9.8.7"};
  base::MetricsRegistry metrics_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(ServerTest, HealthIsOkWithVersionAndUptime) {
  RawClient client(port_);
  client.send(get("/health"));
  const std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 200);
  EXPECT_NE(response.find("Content-Type: application/json"), std::string::npos);
  EXPECT_EQ(body_of(response), R"({"status":"ok","version":"9.8.7","uptime_s":0})");
}

TEST_F(ServerTest, HealthIs503WhileDraining) {
  health_.set_draining();
  RawClient client(port_);
  client.send(get("/health"));
  const std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 503);
  EXPECT_NE(body_of(response).find(R"("status":"draining")"), std::string::npos);
}

TEST(Health, Is503WhileStarting) {
  HealthState health("1");
  base::MetricsRegistry metrics;
  Router router;
  add_standard_routes(router, health, metrics);
  Request request;
  request.method = "GET";
  request.path = "/health";
  const Response response = router.dispatch(request);
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, R"({"status":"starting","version":"1","uptime_s":0})");
}

TEST_F(ServerTest, MetricsArePrometheusText) {
  RawClient client(port_);
  client.send(get("/metrics"));
  const std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 200);
  EXPECT_NE(response.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
  const std::string body = body_of(response);
  EXPECT_NE(body.find("sip_messages_total{method=\"OPTIONS\"} 3\n"), std::string::npos);
  EXPECT_NE(body.find("# TYPE process_resident_memory_bytes gauge\n"), std::string::npos);
  EXPECT_NE(body.find("\nprocess_open_fds "), std::string::npos);
  EXPECT_NE(body.find("\nprocess_start_time_seconds "), std::string::npos);
  EXPECT_NE(body.find("\nprocess_cpu_seconds_total "), std::string::npos);
  EXPECT_NE(body.find("kolokol_build_info{version=\"9.8.7\"} 1\n"), std::string::npos);
  EXPECT_EQ(body.find("process_resident_memory_bytes -1"), std::string::npos);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RawClient client(port_);
  client.send(get("/health") + get("/metrics"));  // pipelined
  EXPECT_EQ(status_of(client.read_response()), 200);
  EXPECT_EQ(status_of(client.read_response()), 200);
  client.send(get("/health"));
  EXPECT_EQ(status_of(client.read_response()), 200);
}

TEST_F(ServerTest, UnknownPathIs404AndWrongMethodIs405) {
  RawClient client(port_);
  client.send(get("/nope"));
  const std::string not_found = client.read_response();
  EXPECT_EQ(status_of(not_found), 404);
  EXPECT_NE(not_found.find("application/problem+json"), std::string::npos);
  client.send("DELETE /health HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string not_allowed = client.read_response();
  EXPECT_EQ(status_of(not_allowed), 405);
  EXPECT_NE(not_allowed.find("Allow: GET\r\n"), std::string::npos);
}

TEST_F(ServerTest, TemplateRouteAnswers204WithoutBodyOrContentType) {
  RawClient client(port_);
  client.send("DELETE /items/a%20b HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 204);
  EXPECT_NE(response.find("X-Removed: a b\r\n"), std::string::npos) << response;
  EXPECT_EQ(response.find("Content-Type"), std::string::npos) << response;
  EXPECT_EQ(response.find("Content-Length"), std::string::npos) << response;
  EXPECT_EQ(body_of(response), "");
  // Keep-alive goes on: the next answer on the connection is read whole.
  client.send(get("/health"));
  EXPECT_EQ(status_of(client.read_response()), 200);
}

TEST_F(ServerTest, BodyWithinLimitIsDelivered) {
  RawClient client(port_);
  client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  const std::string response = client.read_response();
  EXPECT_EQ(status_of(response), 200);
  EXPECT_EQ(body_of(response), "hello");
}

TEST_F(ServerTest, OversizedBodyIs413AndConnectionCloses) {
  RawClient client(port_);
  client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" +
              std::string(4096, 'x'));
  EXPECT_EQ(status_of(client.read_response()), 413);
  EXPECT_TRUE(client.closed_by_peer());
  expect_alive();
}

TEST_F(ServerTest, OversizedChunkedBodyIs413) {
  RawClient client(port_);
  client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
              std::string(0x800, 'x') + "\r\n0\r\n\r\n");
  EXPECT_EQ(status_of(client.read_response()), 413);
  expect_alive();
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  RawClient client(port_);
  client.send(get("/health", "X-Big: " + std::string(4096, 'a') + "\r\n"));
  EXPECT_EQ(status_of(client.read_response()), 431);
  expect_alive();
}

TEST_F(ServerTest, MalformedRequestsAre400AndServerSurvives) {
  const std::vector<std::string> garbage = {
      "GARBAGE\r\n\r\n",
      "GET /health HTTP/9.9\r\n\r\n",
      "GET /health HTTP/1.1\r\nBad Header Line\r\n\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
      std::string("\x00\x01\x02\xff\r\n\r\n", 8),
  };
  for (const auto& bytes : garbage) {
    RawClient client(port_);
    client.send(bytes);
    EXPECT_EQ(status_of(client.read_response()), 400) << bytes;
  }
  expect_alive();
}

TEST_F(ServerTest, IdleConnectionIsClosedAfterReadTimeout) {
  RawClient client(port_);
  client.send("GET /hea");               // never finished
  EXPECT_TRUE(client.closed_by_peer());  // within read_timeout (300 ms); recv blocks until then
  expect_alive();
}

TEST_F(ServerTest, ConnectionsBeyondTheLimitAreRefused) {
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(std::make_unique<RawClient>(port_));
    clients.back()->send(get("/health"));
    ASSERT_EQ(status_of(clients.back()->read_response()), 200);  // each is registered now
  }
  RawClient extra(port_);
  EXPECT_TRUE(extra.closed_by_peer());
  clients.clear();
  // The server learns of the closes asynchronously; a slot frees up as soon as it has.
  int answered = 0;
  for (int attempt = 0; attempt < 100 && answered == 0; ++attempt) {
    RawClient client(port_);
    client.send(get("/health"));
    answered = status_of(client.read_response());
  }
  EXPECT_EQ(answered, 200);
}

TEST_F(ServerTest, StopClosesIdleConnectionsAndRefusesNewOnes) {
  RawClient idle(port_);
  idle.send(get("/health"));
  ASSERT_EQ(status_of(idle.read_response()), 200);
  server_->stop();
  EXPECT_TRUE(idle.closed_by_peer());
  RawClient late(port_);
  EXPECT_FALSE(late.connected());
  server_->stop();  // idempotent
}

TEST(ServerStart, ReportsABusyPort) {
  Server first(ServerOptions{"127.0.0.1", 0}, Router(), base::Logger());
  auto port = first.start();
  ASSERT_TRUE(port.has_value());
  ServerOptions clash;
  clash.port = *port;
  Server second(clash, Router(), base::Logger());
  auto result = second.start();
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().find("cannot listen for HTTP on 127.0.0.1:"), std::string::npos);
}

}  // namespace
}  // namespace kolokol::http
