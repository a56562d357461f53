// TCP/TLS behaviour against raw sockets: keep-alive, framing errors, idle timeout, limits, TLS.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "loopback_harness.h"
#include "runtime/fd_limit.h"

namespace kolokol::sip {
namespace {

using namespace kolokol::sip::testing;
using boost::asio::ip::tcp;

const ListenerConfig kTcp4{Transport::Tcp, "127.0.0.1", 0};

tcp::endpoint to_tcp(const Endpoint& e) {
  return {boost::asio::ip::make_address(e.address), e.port};
}

// A raw client socket with an asynchronous reader, so the test thread can run the io_context.
struct RawClient {
  RawClient(boost::asio::io_context& io, const Endpoint& server) : socket(io) {
    socket.connect(to_tcp(server));
    read();
  }
  void read() {
    socket.async_read_some(boost::asio::buffer(chunk), [this](auto ec, std::size_t n) {
      if (ec) {
        closed = true;
        return;
      }
      received.append(chunk.data(), n);
      read();
    });
  }
  void write(const std::string& bytes) { boost::asio::write(socket, boost::asio::buffer(bytes)); }

  tcp::socket socket;
  std::array<char, 4096> chunk{};
  std::string received;
  bool closed = false;
};

const std::string kOptionsWire =
    "OPTIONS sip:peer@127.0.0.1 SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bKraw1\r\n"
    "Max-Forwards: 70\r\nTo: <sip:peer@127.0.0.1>\r\nFrom: <sip:raw@127.0.0.1>;tag=r\r\n"
    "Call-ID: raw-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

TEST(StreamTransport, CrlfPingGetsPongAndMessagesStillFlow) {
  boost::asio::io_context io;
  Peer server(io, loopback_config({kTcp4}));
  RawClient client(io, server.endpoint(Transport::Tcp));
  client.write("\r\n\r\n");
  ASSERT_TRUE(run_until(io, [&] { return client.received == "\r\n"; }));
  client.write("\r\n" + kOptionsWire.substr(0, 40));
  io.run_for(5ms);
  client.write(kOptionsWire.substr(40));
  ASSERT_TRUE(run_until(io, [&] { return server.received.size() == 1; }));
  // Via sent-by 127.0.0.1:5099 matches the source address: rport absent, so no received.
  EXPECT_FALSE(server.received[0].message.top_via()->received());
  EXPECT_EQ(client.received, "\r\n");
}

TEST(StreamTransport, ViaSentByOfThePeerAliasesItsConnectionButNoOtherHost) {
  boost::asio::io_context io;
  Peer server(io, loopback_config({kTcp4}));
  RawClient client(io, server.endpoint(Transport::Tcp));
  client.write(kOptionsWire);  // Via: SIP/2.0/TCP 127.0.0.1:5099
  ASSERT_TRUE(run_until(io, [&] { return server.received.size() == 1; }));
  auto request = options_request("to-alias");
  server.layer.send_request(request, Endpoint{Transport::Tcp, "127.0.0.1", 5099}, {});
  ASSERT_TRUE(run_until(io, [&] { return client.received.find("to-alias") != std::string::npos; }));
  EXPECT_EQ(server.layer.connection_count(), 1u);

  // A sent-by naming another host must not capture that host's traffic.
  std::string spoofed = kOptionsWire;
  spoofed.replace(spoofed.find("127.0.0.1:5099"), 14, "127.0.0.2:5099");
  spoofed.replace(spoofed.find("raw-1"), 5, "raw-2");
  client.write(spoofed);
  ASSERT_TRUE(run_until(io, [&] { return server.received.size() == 2; }));
  std::string error;
  auto other = options_request("to-other");
  server.layer.send_request(other, Endpoint{Transport::Tcp, "127.0.0.2", 5099},
                            [&](std::string_view why) { error = why; });
  EXPECT_EQ(server.layer.connection_count(), 2u);  // a new connection attempt, not the alias
  ASSERT_TRUE(run_until(io, [&] { return !error.empty(); }));
  EXPECT_EQ(client.received.find("to-other"), std::string::npos);
}

TEST(StreamTransport, GarbageStreamIsClosedAtTheLimit) {
  boost::asio::io_context io;
  auto config = loopback_config({kTcp4});
  config.max_message_size = 2048;
  Peer server(io, config);
  RawClient client(io, server.endpoint(Transport::Tcp));
  ASSERT_TRUE(run_until(io, [&] { return server.layer.connection_count() == 1; }));
  for (int i = 0; i < 4 && !client.closed; ++i) {
    boost::system::error_code ec;
    boost::asio::write(client.socket, boost::asio::buffer(std::string(1000, 'G')), ec);
    io.run_for(5ms);
  }
  ASSERT_TRUE(run_until(io, [&] { return client.closed; }));
  ASSERT_TRUE(run_until(io, [&] { return server.layer.connection_count() == 0; }));
  EXPECT_TRUE(server.received.empty());
}

TEST(StreamTransport, OversizedContentLengthClosesTheConnection) {
  boost::asio::io_context io;
  Peer server(io, loopback_config({kTcp4}));
  RawClient client(io, server.endpoint(Transport::Tcp));
  client.write("MESSAGE sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: 100000\r\n\r\n");
  ASSERT_TRUE(run_until(io, [&] { return client.closed; }));
  EXPECT_EQ(server.gauge(Transport::Tcp), 0);
}

TEST(StreamTransport, UnparseableFrameIsCountedAndTheStreamGoesOn) {
  boost::asio::io_context io;
  Peer server(io, loopback_config({kTcp4}));
  RawClient client(io, server.endpoint(Transport::Tcp));
  client.write("this is no sip\r\n\r\n" + kOptionsWire);
  ASSERT_TRUE(run_until(io, [&] { return server.received.size() == 1; }));
  EXPECT_EQ(server.counter("sip_parse_errors_total", {{"transport", "TCP"}}), 1u);
}

TEST(StreamTransport, IdleConnectionIsClosed) {
  boost::asio::io_context io;
  auto config = loopback_config({kTcp4});
  config.idle_timeout = 60ms;
  Peer server(io, config);
  RawClient client(io, server.endpoint(Transport::Tcp));
  client.write(kOptionsWire);
  ASSERT_TRUE(run_until(io, [&] { return server.received.size() == 1; }));
  EXPECT_EQ(server.layer.connection_count(), 1u);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until(
      io, [&] { return client.closed; }, 2s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 40ms);
  EXPECT_EQ(server.layer.connection_count(), 0u);
  EXPECT_EQ(server.gauge(Transport::Tcp), 0);
}

TEST(StreamTransport, SlowStreamIsBoundedByTheIdleTimeout) {
  boost::asio::io_context io;
  auto config = loopback_config({kTcp4});
  config.idle_timeout = 100ms;
  Peer server(io, config);
  RawClient client(io, server.endpoint(Transport::Tcp));
  // A byte every 30 ms keeps it alive (activity), but never completes a message...
  for (int i = 0; i < 5; ++i) {
    client.write("X");
    io.restart();
    io.run_for(30ms);
  }
  EXPECT_FALSE(client.closed);
  // ...and stopping closes it.
  ASSERT_TRUE(run_until(
      io, [&] { return client.closed; }, 2s));
}

TEST(StreamTransport, ConnectionsOverTheLimitAreClosedAtAccept) {
  boost::asio::io_context io;
  auto config = loopback_config({kTcp4});
  config.max_connections = 2;
  Peer server(io, config);
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<RawClient>(io, server.endpoint(Transport::Tcp)));
  }
  ASSERT_TRUE(run_until(io, [&] { return clients[2]->closed; }));
  EXPECT_FALSE(clients[0]->closed);
  EXPECT_FALSE(clients[1]->closed);
  EXPECT_EQ(server.layer.connection_count(), 2u);
  EXPECT_EQ(server.counter("sip_transport_connections_rejected_total", {{"transport", "TCP"}}), 1u);
}

TEST(StreamTransport, ThousandConnectionsOpenAndCloseAndTheGaugeReturnsToZero) {
  ASSERT_TRUE(runtime::raise_fd_limit().has_value());
  boost::asio::io_context io;
  Peer server(io, loopback_config({kTcp4}));
  std::vector<std::unique_ptr<tcp::socket>> clients;
  for (int i = 0; i < 1000; ++i) {
    auto socket = std::make_unique<tcp::socket>(io);
    socket->connect(to_tcp(server.endpoint(Transport::Tcp)));
    clients.push_back(std::move(socket));
    if (i % 100 == 99) io.run_for(1ms);  // let the backlog drain
  }
  ASSERT_TRUE(run_until(
      io, [&] { return server.gauge(Transport::Tcp) == 1000; }, 10s))
      << server.gauge(Transport::Tcp);
  EXPECT_EQ(server.counter("sip_transport_connections_total", {{"transport", "TCP"}}), 1000u);
  clients.clear();
  ASSERT_TRUE(run_until(
      io, [&] { return server.gauge(Transport::Tcp) == 0; }, 10s))
      << server.gauge(Transport::Tcp);
  EXPECT_EQ(server.layer.connection_count(), 0u);
}

TEST(StreamTransport, StopClosesConnectionsAndFailsQueuedSends) {
  boost::asio::io_context io;
  Peer client(io, loopback_config({kTcp4}));
  Peer server(io, loopback_config({kTcp4}));
  auto request = options_request();
  std::string error;
  client.layer.send_request(request, server.endpoint(Transport::Tcp),
                            [&](std::string_view why) { error = why; });
  client.layer.stop();  // before the connect completed
  ASSERT_TRUE(run_until(io, [&] { return !error.empty(); }));
  EXPECT_EQ(client.gauge(Transport::Tcp), 0);
}

class TlsTransport : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("kolokol-tls-test-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
  }
  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  TransportConfig tls_config() {
    auto config = loopback_config({{Transport::Tls, "127.0.0.1", 0}});
    config.data_dir = data_dir_.string();
    return config;
  }
  static std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::filesystem::path data_dir_;
};

TEST_F(TlsTransport, RoundTripWithTheGeneratedCertificate) {
  boost::asio::io_context io;
  Peer client(io, tls_config());
  Peer server(io, tls_config());
  ASSERT_TRUE(server.start_error.empty()) << server.start_error;
  ASSERT_FALSE(server.layer.tls_certificate_file().empty());
  auto request = options_request("tls-1");
  std::string error;
  client.layer.send_request(request, server.endpoint(Transport::Tls),
                            [&](std::string_view why) { error = why; });
  EXPECT_EQ(request.top_via()->transport, "TLS");
  ASSERT_TRUE(run_until(io, [&] { return !server.received.empty() || !error.empty(); })) << error;
  ASSERT_EQ(server.received.size(), 1u) << error;
  EXPECT_EQ(server.received[0].source.remote.transport, Transport::Tls);
  server.layer.send_response(make_response(server.received[0].message, 200),
                             server.received[0].source);
  ASSERT_TRUE(run_until(io, [&] { return !client.received.empty(); }));
  EXPECT_EQ(client.received[0].message.status(), 200);
  EXPECT_EQ(server.gauge(Transport::Tls), 1);
}

TEST_F(TlsTransport, CertificateIsGeneratedOnceAndReused) {
  boost::asio::io_context io;
  std::string first_pem;
  {
    Peer first(io, tls_config());
    ASSERT_TRUE(first.start_error.empty()) << first.start_error;
    first_pem = slurp(first.layer.tls_certificate_file());
    EXPECT_NE(first_pem.find("BEGIN CERTIFICATE"), std::string::npos);
    const auto key = data_dir_ / "tls" / "sip-key.pem";
    EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::group_read,
              std::filesystem::perms::none);
  }
  Peer second(io, tls_config());
  ASSERT_TRUE(second.start_error.empty()) << second.start_error;
  EXPECT_EQ(slurp(second.layer.tls_certificate_file()), first_pem);
}

TEST_F(TlsTransport, PlainTextOnTheTlsPortIsClosed) {
  boost::asio::io_context io;
  Peer server(io, tls_config());
  RawClient client(io, server.endpoint(Transport::Tls));
  client.write(kOptionsWire);
  ASSERT_TRUE(run_until(io, [&] { return client.closed; }));
  EXPECT_TRUE(server.received.empty());
  ASSERT_TRUE(run_until(io, [&] { return server.gauge(Transport::Tls) == 0; }));
}

TEST_F(TlsTransport, MissingConfiguredCertificateIsAStartError) {
  boost::asio::io_context io;
  auto config = tls_config();
  config.tls_certificate_file = (data_dir_ / "nope.pem").string();
  config.tls_private_key_file = (data_dir_ / "nope.key").string();
  Peer server(io, config);
  EXPECT_NE(server.start_error.find("nope.pem"), std::string::npos) << server.start_error;
}

}  // namespace
}  // namespace kolokol::sip
