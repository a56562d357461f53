#include "sip/transport/response_route.h"

#include <gtest/gtest.h>

#include "sip/transport/ip_address.h"

namespace kolokol::sip {
namespace {

Via via(std::string host, std::optional<std::uint16_t> port, Params params = {}) {
  Via v;
  v.host = std::move(host);
  v.port = port;
  v.params = std::move(params);
  return v;
}

Endpoint route(const Via& v, Transport t) {
  auto r = route_response(v, t);
  EXPECT_TRUE(r.has_value()) << r.error();
  return r ? *r : Endpoint{};
}

TEST(RouteResponse, UdpUsesMaddrFirst) {
  auto v = via("10.0.0.1", 5070, {{"maddr", "10.0.0.9"}, {"received", "192.0.2.1"}});
  EXPECT_EQ(route(v, Transport::Udp), (Endpoint{Transport::Udp, "10.0.0.9", 5070}));
}

TEST(RouteResponse, UdpUsesReceivedWithRportValue) {
  auto v = via("10.0.0.1", 5070, {{"received", "192.0.2.1"}, {"rport", "34567"}});
  EXPECT_EQ(route(v, Transport::Udp), (Endpoint{Transport::Udp, "192.0.2.1", 34567}));
}

TEST(RouteResponse, UdpUsesReceivedWithSentByPortWithoutRport) {
  auto v = via("phone.example.com", 5070, {{"received", "192.0.2.1"}});
  EXPECT_EQ(route(v, Transport::Udp), (Endpoint{Transport::Udp, "192.0.2.1", 5070}));
  auto bare = via("phone.example.com", std::nullopt, {{"received", "192.0.2.1"}, {"rport", {}}});
  EXPECT_EQ(route(bare, Transport::Udp), (Endpoint{Transport::Udp, "192.0.2.1", 5060}));
}

TEST(RouteResponse, SentByWhenNothingElse) {
  EXPECT_EQ(route(via("10.0.0.1", 5080), Transport::Udp),
            (Endpoint{Transport::Udp, "10.0.0.1", 5080}));
  EXPECT_EQ(route(via("[2001:db8::1]", std::nullopt), Transport::Udp),
            (Endpoint{Transport::Udp, "2001:db8::1", 5060}));
  EXPECT_EQ(route(via("10.0.0.1", std::nullopt), Transport::Tls),
            (Endpoint{Transport::Tls, "10.0.0.1", 5061}));
}

TEST(RouteResponse, ReliableUsesReceivedAndSentByPortNotRportNorMaddr) {
  auto v =
      via("10.0.0.1", 5070, {{"maddr", "10.0.0.9"}, {"received", "192.0.2.1"}, {"rport", "34567"}});
  EXPECT_EQ(route(v, Transport::Tcp), (Endpoint{Transport::Tcp, "192.0.2.1", 5070}));
}

TEST(RouteResponse, HostNameWithoutReceivedIsNotResolved) {
  auto r = route_response(via("phone.example.com", 5060), Transport::Udp);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("phone.example.com"), std::string::npos);
  EXPECT_FALSE(
      route_response(via("10.0.0.1", 5060, {{"maddr", "mcast.example.com"}}), Transport::Udp)
          .has_value());
}

TEST(RouteResponse, RefusesBroadcastMulticastAndUnspecified) {
  for (const char* host : {"255.255.255.255", "0.0.0.0", "224.0.0.1", "239.1.2.3", "[::]",
                           "[ff02::1]", "[::ffff:255.255.255.255]"}) {
    EXPECT_FALSE(route_response(via(host, 5060), Transport::Udp).has_value()) << host;
  }
  EXPECT_FALSE(route_response(via("10.0.0.1", 5060, {{"maddr", "255.255.255.255"}}), Transport::Udp)
                   .has_value());
  EXPECT_FALSE(route_response(via("10.0.0.1", 5060, {{"received", "224.0.0.5"}}), Transport::Udp)
                   .has_value());
  // A subnet broadcast looks like any host address: only the limited broadcast is refused.
  EXPECT_TRUE(route_response(via("192.0.2.255", 5060), Transport::Udp).has_value());
}

TEST(IpAddress, LiteralsAndNames) {
  EXPECT_TRUE(parse_ip_literal("127.0.0.1"));
  EXPECT_TRUE(parse_ip_literal("[::1]"));
  EXPECT_TRUE(parse_ip_literal("::1"));
  EXPECT_FALSE(parse_ip_literal("[127.0.0.1]"));
  EXPECT_FALSE(parse_ip_literal("example.com"));
  EXPECT_FALSE(parse_ip_literal(""));
  EXPECT_FALSE(parse_ip_literal("1.2.3"));
  EXPECT_EQ(canonical_address("[0:0::1]"), "::1");
  EXPECT_EQ(host_for_header(*parse_ip_literal("::1")), "[::1]");
}

TEST(Endpoint, Names) {
  EXPECT_EQ(transport_from_name("tls"), Transport::Tls);
  EXPECT_EQ(transport_from_name("SCTP"), std::nullopt);
  EXPECT_EQ((Endpoint{Transport::Tcp, "::1", 5060}).to_string(), "TCP [::1]:5060");
  EXPECT_EQ((Endpoint{Transport::Udp, "10.0.0.1", 5060}).to_string(), "UDP 10.0.0.1:5060");
}

}  // namespace
}  // namespace kolokol::sip
