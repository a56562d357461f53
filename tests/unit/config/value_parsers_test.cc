#include "config/value_parsers.h"

#include <gtest/gtest.h>

namespace kolokol::config {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, AcceptsEachUnit) {
  EXPECT_EQ(*parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(*parse_duration("30s"), milliseconds(30'000));
  EXPECT_EQ(*parse_duration("5m"), milliseconds(300'000));
  EXPECT_EQ(*parse_duration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(*parse_duration("0s"), milliseconds(0));
}

TEST(ParseDuration, RefusesMissingOrUnknownUnitsAndJunk) {
  EXPECT_NE(parse_duration("30").error().find("needs a unit"), std::string::npos);
  EXPECT_NE(parse_duration("30 s").error().find("unknown duration unit"), std::string::npos);
  EXPECT_NE(parse_duration("3d").error().find("unknown duration unit"), std::string::npos);
  EXPECT_FALSE(parse_duration("").has_value());
  EXPECT_FALSE(parse_duration("-5s").has_value());
  EXPECT_FALSE(parse_duration("s").has_value());
  EXPECT_FALSE(parse_duration("99999999999999999999h").has_value());
  EXPECT_FALSE(parse_duration("9999999999999999h").has_value());
}

TEST(FormatDuration, UsesTheLargestExactUnit) {
  EXPECT_EQ(format_duration(milliseconds(500)), "500ms");
  EXPECT_EQ(format_duration(milliseconds(4000)), "4s");
  EXPECT_EQ(format_duration(milliseconds(300'000)), "5m");
  EXPECT_EQ(format_duration(milliseconds(7'200'000)), "2h");
  EXPECT_EQ(format_duration(milliseconds(0)), "0s");
}

TEST(ParseSize, AcceptsBytesAndBinaryUnits) {
  EXPECT_EQ(*parse_size("65536"), 65536u);
  EXPECT_EQ(*parse_size("64KiB"), 65536u);
  EXPECT_EQ(*parse_size("1MiB"), 1048576u);
  EXPECT_EQ(*parse_size("2GiB"), 2147483648u);
  EXPECT_FALSE(parse_size("1MB").has_value());
  EXPECT_FALSE(parse_size("lots").has_value());
  EXPECT_FALSE(parse_size("99999999999999GiB").has_value());
  EXPECT_EQ(format_size(1048576), "1MiB");
  EXPECT_EQ(format_size(1000), "1000");
}

TEST(ParsePort, BoundsAndJunk) {
  EXPECT_EQ(*parse_port("1"), 1);
  EXPECT_EQ(*parse_port("65535"), 65535);
  EXPECT_NE(parse_port("0").error().find("between 1 and 65535"), std::string::npos);
  EXPECT_NE(parse_port("65536").error().find("between 1 and 65535"), std::string::npos);
  EXPECT_FALSE(parse_port("5060x").has_value());
  EXPECT_FALSE(parse_port("-1").has_value());
  EXPECT_FALSE(parse_port("99999999999999999999999").has_value());
}

TEST(ParseIpAddress, AcceptsNumericAddressesOnly) {
  EXPECT_EQ(*parse_ip_address("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(*parse_ip_address("::"), "::");
  EXPECT_EQ(*parse_ip_address("[::1]"), "::1");
  EXPECT_EQ(*parse_ip_address("fe80::1"), "fe80::1");
  EXPECT_FALSE(parse_ip_address("localhost").has_value());
  EXPECT_FALSE(parse_ip_address("256.0.0.1").has_value());
  EXPECT_FALSE(parse_ip_address("[127.0.0.1]").has_value());
  EXPECT_FALSE(parse_ip_address("").has_value());
}

TEST(ParseHost, AcceptsNamesAndAddressesLowerCased) {
  EXPECT_EQ(*parse_host("PBX.Example.com"), "pbx.example.com");
  EXPECT_EQ(*parse_host("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(*parse_host("localhost"), "localhost");
  EXPECT_FALSE(parse_host("bad host").has_value());
  EXPECT_FALSE(parse_host("a..b").has_value());
  EXPECT_FALSE(parse_host("trailing.").has_value());
  EXPECT_FALSE(parse_host(std::string(64, 'a') + ".com").has_value());
  EXPECT_FALSE(parse_host("").has_value());
}

}  // namespace
}  // namespace kolokol::config
