#include "sip/transport/via_stamping.h"

#include <gtest/gtest.h>

#include <string>

namespace kolokol::sip {
namespace {

Message request_with_via(const std::string& via) {
  auto parsed = parse_message(
      "OPTIONS sip:bob@example.com SIP/2.0\r\n"
      "Via: " +
      via +
      "\r\n"
      "Via: SIP/2.0/UDP 10.9.9.9;branch=z9hG4bKother\r\n"
      "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\n"
      "Call-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(parsed.has_value());
  return std::move(*parsed);
}

const Endpoint kSource{Transport::Udp, "192.0.2.7", 40000};

TEST(ViaStamping, SameAddressWithoutRportIsLeftAlone) {
  auto m = request_with_via("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1");
  EXPECT_FALSE(stamp_received_via(m, kSource));
  EXPECT_FALSE(m.top_via()->received());
}

TEST(ViaStamping, DifferentAddressGetsReceived) {
  auto m = request_with_via("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1");
  EXPECT_TRUE(stamp_received_via(m, kSource));
  EXPECT_EQ(m.top_via()->received(), "192.0.2.7");
  EXPECT_FALSE(m.top_via()->has_rport());
  EXPECT_EQ(m.vias().size(), 2u);
  EXPECT_EQ(m.vias()[1].host, "10.9.9.9");  // only the top Via changes
}

TEST(ViaStamping, HostNameGetsReceived) {
  auto m = request_with_via("SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1");
  EXPECT_TRUE(stamp_received_via(m, kSource));
  EXPECT_EQ(m.top_via()->received(), "192.0.2.7");
}

TEST(ViaStamping, BareRportIsFilledAndReceivedAddedEvenForTheSameAddress) {
  auto m = request_with_via("SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK1");
  EXPECT_TRUE(stamp_received_via(m, kSource));
  EXPECT_EQ(m.top_via()->rport(), 40000);
  EXPECT_EQ(m.top_via()->received(), "192.0.2.7");
  EXPECT_EQ(m.top_via()->branch(), "z9hG4bK1");
  const std::string wire = m.to_string();
  EXPECT_NE(wire.find("rport=40000"), std::string::npos) << wire;
  EXPECT_NE(wire.find("received=192.0.2.7"), std::string::npos) << wire;
}

TEST(ViaStamping, Ipv6SourceComparedAsAddress) {
  const Endpoint source{Transport::Udp, "::1", 5062};
  auto same = request_with_via("SIP/2.0/UDP [0:0::1]:5062;branch=z9hG4bK1");
  EXPECT_FALSE(stamp_received_via(same, source));
  auto other = request_with_via("SIP/2.0/UDP [2001:db8::2]:5062;branch=z9hG4bK1");
  EXPECT_TRUE(stamp_received_via(other, source));
  EXPECT_EQ(other.top_via()->received(), "::1");
}

}  // namespace
}  // namespace kolokol::sip
