#include "sip/transport/transport_layer.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <filesystem>

#include "loopback_harness.h"

namespace kolokol::sip {
namespace {

using namespace kolokol::sip::testing;

const ListenerConfig kUdp4{Transport::Udp, "127.0.0.1", 0};
const ListenerConfig kTcp4{Transport::Tcp, "127.0.0.1", 0};

TEST(TransportLayer, UdpRoundTripStampsViaAndRoutesTheResponseBack) {
  boost::asio::io_context io;
  Peer client(io, loopback_config({kUdp4}));
  Peer server(io, loopback_config({kUdp4}));
  ASSERT_TRUE(client.start_error.empty()) << client.start_error;
  ASSERT_TRUE(server.start_error.empty()) << server.start_error;
  const Endpoint client_udp = client.endpoint(Transport::Udp);
  ASSERT_NE(client_udp.port, 0);

  auto request = options_request();
  std::string error;
  client.layer.send_request(request, server.endpoint(Transport::Udp),
                            [&](std::string_view why) { error = why; });
  // The layer wrote our listener into the Via and asked for rport.
  EXPECT_EQ(request.top_via()->transport, "UDP");
  EXPECT_EQ(request.top_via()->host, "127.0.0.1");
  EXPECT_EQ(request.top_via()->port, client_udp.port);
  EXPECT_TRUE(request.top_via()->has_rport());

  ASSERT_TRUE(run_until(io, [&] { return !server.received.empty(); })) << error;
  const auto& in = server.received[0];
  EXPECT_EQ(in.source.remote, client_udp);
  EXPECT_EQ(in.source.connection, 0u);
  EXPECT_EQ(in.message.top_via()->rport(), client_udp.port);
  EXPECT_EQ(in.message.top_via()->received(), "127.0.0.1");

  auto response = make_response(in.message, 200);
  server.layer.send_response(response, in.source);
  ASSERT_TRUE(run_until(io, [&] { return !client.received.empty(); }));
  EXPECT_EQ(client.received[0].message.status(), 200);
  EXPECT_EQ(client.received[0].message.call_id(), "call-1");

  EXPECT_EQ(server.counter("sip_messages_total",
                           {{"direction", "in"}, {"transport", "UDP"}, {"method", "OPTIONS"}}),
            1u);
  EXPECT_EQ(server.counter("sip_messages_total",
                           {{"direction", "out"}, {"transport", "UDP"}, {"status", "200"}}),
            1u);
  EXPECT_EQ(client.counter("sip_messages_total",
                           {{"direction", "in"}, {"transport", "UDP"}, {"status", "200"}}),
            1u);
  EXPECT_GT(
      client.counter("sip_transport_bytes_total", {{"direction", "out"}, {"transport", "UDP"}}),
      100u);
  EXPECT_TRUE(error.empty()) << error;
}

TEST(TransportLayer, Ipv6UdpAndTcpRoundTrip) {
  boost::asio::io_context io;
  const ListenerConfig udp6{Transport::Udp, "::1", 0};
  const ListenerConfig tcp6{Transport::Tcp, "::1", 0};
  Peer client(io, loopback_config({udp6, tcp6}));
  Peer server(io, loopback_config({udp6, tcp6}));
  if (!client.start_error.empty()) GTEST_SKIP() << "no IPv6 loopback: " << client.start_error;
  for (Transport t : {Transport::Udp, Transport::Tcp}) {
    server.received.clear();
    client.received.clear();
    auto request = options_request("v6-" + std::string(transport_name(t)));
    client.layer.send_request(request, server.endpoint(t, true), {});
    EXPECT_EQ(request.top_via()->host, "[::1]");
    ASSERT_TRUE(run_until(io, [&] { return !server.received.empty(); })) << transport_name(t);
    const auto& in = server.received[0];
    EXPECT_EQ(in.source.remote.address, "::1");
    server.layer.send_response(make_response(in.message, 200), in.source);
    ASSERT_TRUE(run_until(io, [&] { return !client.received.empty(); })) << transport_name(t);
    EXPECT_EQ(client.received[0].message.status(), 200);
  }
}

TEST(TransportLayer, TcpReusesTheConnectionBothWays) {
  boost::asio::io_context io;
  Peer client(io, loopback_config({kTcp4}));
  Peer server(io, loopback_config({kTcp4}));
  const Endpoint client_tcp = client.endpoint(Transport::Tcp);
  const Endpoint server_tcp = server.endpoint(Transport::Tcp);

  for (int cseq = 1; cseq <= 3; ++cseq) {
    auto request = options_request("reuse", cseq);
    client.layer.send_request(request, server_tcp, {});
    EXPECT_EQ(request.top_via()->transport, "TCP");
    EXPECT_EQ(request.top_via()->port, client_tcp.port);  // the listener, not the ephemeral port
  }
  ASSERT_TRUE(run_until(io, [&] { return server.received.size() == 3; }));
  EXPECT_EQ(client.layer.connection_count(), 1u);
  EXPECT_EQ(server.layer.connection_count(), 1u);
  const ConnectionId inbound = server.received[0].source.connection;
  EXPECT_NE(inbound, 0u);
  for (const auto& in : server.received) EXPECT_EQ(in.source.connection, inbound);
  EXPECT_NE(server.received[0].source.remote.port, client_tcp.port);  // ephemeral source port

  // Response over the request's connection.
  server.layer.send_response(make_response(server.received[0].message, 200),
                             server.received[0].source);
  ASSERT_TRUE(run_until(io, [&] { return client.received.size() == 1; }));

  // A request from the server to the client's listener (its Via sent-by) reuses the connection
  // the client opened (connection reuse): no second connection appears.
  auto back = options_request("back");
  server.layer.send_request(back, client_tcp, {});
  ASSERT_TRUE(run_until(io, [&] { return client.received.size() == 2; }));
  EXPECT_EQ(client.received[1].message.method(), Method::Options);
  EXPECT_EQ(server.layer.connection_count(), 1u);
  EXPECT_EQ(client.layer.connection_count(), 1u);
  EXPECT_EQ(server.gauge(Transport::Tcp), 1);
  EXPECT_EQ(client.counter("sip_transport_connections_total", {{"transport", "TCP"}}), 1u);
}

TEST(TransportLayer, TcpResponseAfterConnectionLossOpensANewOne) {
  boost::asio::io_context io;
  Peer client(io, loopback_config({kTcp4}));
  Peer server(io, loopback_config({kTcp4}));
  auto request = options_request();
  client.layer.send_request(request, server.endpoint(Transport::Tcp), {});
  ASSERT_TRUE(run_until(io, [&] { return server.received.size() == 1; }));
  client.layer.stop();  // drops the connection; restart listening on a new port
  ASSERT_TRUE(run_until(io, [&] { return server.layer.connection_count() == 0; }));
  // The response goes to received/sent-by port: nobody listens there any more, so nothing
  // arrives, but the server must try and must not crash.
  server.layer.send_response(make_response(server.received[0].message, 200),
                             server.received[0].source);
  ASSERT_TRUE(run_until(io, [&] { return server.layer.connection_count() == 0; }));
}

TEST(TransportLayer, TcpResponseLostWhenTheConnectionIsGoneAndSentByRefuses) {
  boost::asio::io_context io;
  Peer client(io, loopback_config({kTcp4}));
  Peer server(io, loopback_config({kTcp4}));
  auto request = options_request();
  client.layer.send_request(request, server.endpoint(Transport::Tcp), {});
  ASSERT_TRUE(run_until(io, [&] { return server.received.size() == 1; }));
  client.layer.stop();  // the connection closes and the sent-by port stops listening
  ASSERT_TRUE(run_until(io, [&] { return server.layer.connection_count() == 0; }));

  std::string error;
  server.layer.send_response(make_response(server.received[0].message, 200),
                             server.received[0].source, [&](std::string_view why) { error = why; });
  EXPECT_TRUE(error.empty());  // never inline
  ASSERT_TRUE(run_until(io, [&] { return !error.empty(); }));
  EXPECT_NE(error.find("refused"), std::string::npos) << error;
  ASSERT_TRUE(run_until(io, [&] { return server.layer.connection_count() == 0; }));
}

TEST(TransportLayer, ConnectFailureIsReportedAsynchronously) {
  boost::asio::io_context io;
  Peer client(io, loopback_config({kTcp4}));
  // A port nobody listens on: bind one and close it.
  boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const std::uint16_t dead_port = probe.local_endpoint().port();
  probe.close();
  auto request = options_request();
  bool called_inline = true;
  std::string error;
  client.layer.send_request(request, Endpoint{Transport::Tcp, "127.0.0.1", dead_port},
                            [&](std::string_view why) { error = why; });
  called_inline = !error.empty();
  EXPECT_FALSE(called_inline);
  ASSERT_TRUE(run_until(io, [&] { return !error.empty(); }));
  EXPECT_NE(error.find("refused"), std::string::npos) << error;
  ASSERT_TRUE(run_until(io, [&] { return client.layer.connection_count() == 0; }));
  EXPECT_EQ(client.gauge(Transport::Tcp), 0);
}

TEST(TransportLayer, RefusesForbiddenDestinationsAndMissingListeners) {
  boost::asio::io_context io;
  Peer client(io, loopback_config({kUdp4}));
  std::vector<std::string> errors;
  auto on_error = [&](std::string_view why) { errors.emplace_back(why); };
  auto r1 = options_request("a");
  client.layer.send_request(r1, Endpoint{Transport::Udp, "255.255.255.255", 5060}, on_error);
  auto r2 = options_request("b");
  client.layer.send_request(r2, Endpoint{Transport::Udp, "224.0.0.1", 5060}, on_error);
  auto r3 = options_request("c");
  client.layer.send_request(r3, Endpoint{Transport::Tcp, "127.0.0.1", 5060}, on_error);
  auto r4 = options_request("d");
  client.layer.send_request(r4, Endpoint{Transport::Udp, "example.com", 5060}, on_error);
  EXPECT_TRUE(errors.empty());  // never inline
  ASSERT_TRUE(run_until(io, [&] { return errors.size() == 4; }));
  EXPECT_NE(errors[2].find("no TCP IPv4 listener"), std::string::npos) << errors[2];
}

TEST(TransportLayer, ResponseToBroadcastViaIsDropped) {
  boost::asio::io_context io;
  Peer server(io, loopback_config({kUdp4}));
  auto parsed = parse_message(
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1\r\n"
      "To: <sip:a@b>;tag=1\r\nFrom: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n"
      "Content-Length: 0\r\n\r\n");
  ASSERT_TRUE(parsed.has_value());
  std::string error;
  server.layer.send_response(*parsed, Source{Endpoint{Transport::Udp, "127.0.0.1", 9}, {}, 0},
                             [&](std::string_view why) { error = why; });
  EXPECT_TRUE(error.empty());  // never inline
  ASSERT_TRUE(run_until(io, [&] { return !error.empty(); }));
  EXPECT_EQ(
      server.counter("sip_transport_bytes_total", {{"direction", "out"}, {"transport", "UDP"}}),
      0u);
}

TEST(TransportLayer, GarbageAndMalformedResponsesAreCountedNotDelivered) {
  boost::asio::io_context io;
  Peer server(io, loopback_config({kUdp4}));
  boost::asio::ip::udp::socket raw(io, boost::asio::ip::udp::v4());
  const boost::asio::ip::udp::endpoint target(boost::asio::ip::make_address("127.0.0.1"),
                                              server.endpoint(Transport::Udp).port);
  raw.send_to(boost::asio::buffer(std::string("\x01\x02 garbage \xff")), target);
  raw.send_to(boost::asio::buffer(std::string("\r\n\r\n")), target);  // keep-alive: ignored
  raw.send_to(boost::asio::buffer(
                  std::string("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n"
                              "Call-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")),
              target);  // no From/To: a defect, and responses with defects are dropped
  raw.send_to(boost::asio::buffer(std::string(
                  "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n"
                  "Call-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")),
              target);  // a request with a defect is delivered for the core to answer
  ASSERT_TRUE(run_until(io, [&] {
    return server.counter("sip_parse_errors_total", {{"transport", "UDP"}}) == 2 &&
           server.received.size() == 1;
  }));
  EXPECT_TRUE(server.received[0].message.defect().has_value());
  EXPECT_TRUE(server.received[0].message.is_request());
}

TEST(TransportLayer, BindFailureNamesTheAddress) {
  boost::asio::io_context io;
  Peer first(io, loopback_config({kTcp4}));
  const auto taken = first.endpoint(Transport::Tcp);
  base::MetricsRegistry metrics;
  TransportLayer second(io, loopback_config({kUdp4, {Transport::Tcp, "127.0.0.1", taken.port}}),
                        metrics, base::Logger{});
  auto started = second.start();
  ASSERT_FALSE(started.has_value());
  EXPECT_NE(started.error().find("127.0.0.1 port " + std::to_string(taken.port)), std::string::npos)
      << started.error();
  EXPECT_TRUE(second.local_endpoints().empty());  // nothing stays bound

  TransportLayer bad(io, loopback_config({{Transport::Udp, "localhost", 0}}), metrics,
                     base::Logger{});
  auto bad_started = bad.start();
  ASSERT_FALSE(bad_started.has_value());
  EXPECT_NE(bad_started.error().find("localhost"), std::string::npos);
}

}  // namespace
}  // namespace kolokol::sip
