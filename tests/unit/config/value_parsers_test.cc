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

TEST(ParseSeconds, WholeSecondsOnly) {
  EXPECT_EQ(*parse_seconds("90s"), std::chrono::seconds(90));
  EXPECT_EQ(*parse_seconds("2m"), std::chrono::seconds(120));
  EXPECT_EQ(*parse_seconds("3000ms"), std::chrono::seconds(3));
  EXPECT_EQ(*parse_seconds("0s"), std::chrono::seconds(0));
  EXPECT_EQ(parse_seconds("1500ms").error(), "must be a whole number of seconds, got '1500ms'");
  EXPECT_NE(parse_seconds("30").error().find("needs a unit"), std::string::npos);
}

TEST(ParseBool, TrueOrFalseOnly) {
  EXPECT_TRUE(*parse_bool("true"));
  EXPECT_FALSE(*parse_bool("false"));
  EXPECT_EQ(parse_bool("yes").error(), "expected true or false, got 'yes'");
  EXPECT_FALSE(parse_bool("1").has_value());
  EXPECT_FALSE(parse_bool("").has_value());
}

TEST(ParseText, LengthAndControlCharacters) {
  EXPECT_EQ(*parse_text("Alice", 5), "Alice");
  EXPECT_EQ(parse_text("Alice!", 5).error(), "longer than 5 characters");
  EXPECT_EQ(parse_text("a\nb", 5).error(), "contains a control character");
  EXPECT_EQ(parse_text(std::string("a\x7f", 2), 5).error(), "contains a control character");
}

TEST(ParseDatabaseUrl, SqliteOnly) {
  EXPECT_EQ(*parse_database_url(""), "");
  EXPECT_EQ(*parse_database_url("sqlite:/var/lib/kolokol/pbx.db"),
            "sqlite:/var/lib/kolokol/pbx.db");
  EXPECT_EQ(*parse_database_url("SQLITE:pbx.db"), "sqlite:pbx.db");
  EXPECT_EQ(parse_database_url("postgres://u:secret@h/db").error(),
            "only sqlite: URLs are supported until the PostgreSQL backend exists, got a "
            "'postgres:' URL");
  EXPECT_NE(parse_database_url("mysql://x").error().find("got a 'mysql:' URL"), std::string::npos);
  EXPECT_NE(parse_database_url("pbx.db").error().find("write sqlite:<path>"), std::string::npos);
  EXPECT_NE(parse_database_url("./a:b.db").error().find("write sqlite:<path>"), std::string::npos);
  EXPECT_NE(parse_database_url("sqlite:").error().find("needs a file path"), std::string::npos);
  EXPECT_NE(parse_database_url("sqlite:///abs.db").error().find("without '//'"), std::string::npos);
  EXPECT_EQ(parse_database_url("sqlite:/a\nb.db").error(), "the path contains a control character");
}

TEST(ParseTenantName, LowerCaseLettersDigitsAndDash) {
  EXPECT_EQ(*parse_tenant_name("acme-2"), "acme-2");
  EXPECT_EQ(*parse_tenant_name("a"), "a");
  EXPECT_TRUE(parse_tenant_name(std::string(63, 'x')).has_value());
  EXPECT_FALSE(parse_tenant_name(std::string(64, 'x')).has_value());
  EXPECT_FALSE(parse_tenant_name("").has_value());
  EXPECT_FALSE(parse_tenant_name("Acme").has_value());
  EXPECT_FALSE(parse_tenant_name("a.b").has_value());
  EXPECT_FALSE(parse_tenant_name("a b").has_value());
}

TEST(ParseExtensionNumber, TwoToFifteenDigits) {
  EXPECT_EQ(*parse_extension_number("10"), "10");
  EXPECT_EQ(*parse_extension_number("007"), "007");
  EXPECT_TRUE(parse_extension_number("123456789012345").has_value());
  EXPECT_FALSE(parse_extension_number("1234567890123456").has_value());
  EXPECT_FALSE(parse_extension_number("1").has_value());
  EXPECT_FALSE(parse_extension_number("+4930").has_value());
  EXPECT_FALSE(parse_extension_number("1 2").has_value());
}

TEST(ParseSipPassword, PrintableAsciiOfSaneLength) {
  EXPECT_EQ(*parse_sip_password("correct horse"), "correct horse");
  EXPECT_TRUE(parse_sip_password(std::string(8, '~')).has_value());
  EXPECT_TRUE(parse_sip_password(std::string(128, '!')).has_value());
  EXPECT_EQ(parse_sip_password("1234567").error(), "must be 8 to 128 characters long, got 7");
  EXPECT_FALSE(parse_sip_password(std::string(129, 'a')).has_value());
  EXPECT_EQ(parse_sip_password("secret\r\nsecret").error(), "contains a control character");
  EXPECT_EQ(parse_sip_password("p\xc3\xa4sswort").error(),
            "contains a non-ASCII character (phones differ in how they encode those)");
}

}  // namespace
}  // namespace kolokol::config
