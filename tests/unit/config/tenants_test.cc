// The `tenants` key: configuration as code for tenants and their extensions.
#include <gtest/gtest.h>

#include "unit/config/config_test_support.h"

namespace kolokol::config {
namespace {

using testing::all_errors;
using testing::only_error;
using testing::parse;

TEST(Tenants, ParseFully) {
  auto config = parse(R"(
demo_tenant: false
tenants:
  - name: acme
    domains: [Acme.Example.com, 10.0.0.5]
    extensions:
      - number: "1001"
        name: Alice Example
        password: "s3cret-pass word"
      - { number: 1002 }
  - name: beta-2
    extensions: []
  - name: c
    domains:
)");
  ASSERT_TRUE(config.has_value()) << format_errors(config.error());
  const std::vector<TenantDecl> expected{
      {"acme",
       {"acme.example.com", "10.0.0.5"},
       {{"1001", "Alice Example", "s3cret-pass word"}, {"1002", "", ""}}},
      {"beta-2", {}, {}},
      {"c", {}, {}}};
  EXPECT_EQ(config->tenants, expected);
  EXPECT_FALSE(config->demo_tenant);
}

TEST(Tenants, EmptyOrNoList) {
  EXPECT_TRUE(parse("tenants: []\n")->tenants.empty());
  EXPECT_TRUE(parse("tenants:\n")->tenants.empty());
  EXPECT_EQ(only_error("tenants: {name: acme}\n"),
            "invalid value for 'tenants' in test.yaml line 1: expected a list of tenants {name, "
            "domains, extensions}, got a map");
  EXPECT_EQ(only_error("tenants:\n  - acme\n"),
            "invalid value for 'tenants[0]' in test.yaml line 2: expected a map with name, domains "
            "and extensions, got 'acme'");
}

TEST(Tenants, NameIsRequiredAndChecked) {
  EXPECT_EQ(only_error("tenants:\n  - domains: [a.example]\n"),
            "invalid value for 'tenants[0].name' in test.yaml line 2: missing (every tenant needs "
            "a name)");
  const std::string reason = "expected 1 to 63 lower-case letters, digits and '-', got ";
  EXPECT_EQ(only_error("tenants:\n  - name: Acme\n"),
            "invalid value for 'tenants[0].name' in test.yaml line 2: " + reason + "'Acme'");
  EXPECT_EQ(only_error("tenants:\n  - name: a_b\n"),
            "invalid value for 'tenants[0].name' in test.yaml line 2: " + reason + "'a_b'");
  EXPECT_EQ(only_error("tenants:\n  - name: ''\n"),
            "invalid value for 'tenants[0].name' in test.yaml line 2: " + reason + "''");
  const std::string long_name(64, 'a');
  EXPECT_EQ(
      only_error("tenants:\n  - name: " + long_name + "\n"),
      "invalid value for 'tenants[0].name' in test.yaml line 2: " + reason + "'" + long_name + "'");
  EXPECT_TRUE(parse("tenants:\n  - name: " + std::string(63, 'z') + "\n").has_value());
}

TEST(Tenants, DomainsAreHosts) {
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    domains: [ok.example, bad host]\n"),
            "invalid value for 'tenants[0].domains[1]' in test.yaml line 3: expected a host name "
            "or an IP address, got 'bad host'");
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    domains: a.example\n"),
            "invalid value for 'tenants[0].domains' in test.yaml line 3: expected a list of "
            "domain names, got 'a.example'");
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    domains:\n      - [x]\n"),
            "invalid value for 'tenants[0].domains[0]' in test.yaml line 4: expected a domain "
            "name, got a list");
}

TEST(Tenants, ExtensionNumbers) {
  const std::string head = "tenants:\n  - name: a\n    extensions:\n";
  EXPECT_EQ(only_error(head + "      - name: Nobody\n"),
            "invalid value for 'tenants[0].extensions[0].number' in test.yaml line 4: missing "
            "(every extension needs a number)");
  EXPECT_EQ(only_error(head + "      - number: 1\n"),
            "invalid value for 'tenants[0].extensions[0].number' in test.yaml line 4: expected 2 "
            "to 15 digits, got '1'");
  EXPECT_EQ(only_error(head + "      - number: 1234567890123456\n"),
            "invalid value for 'tenants[0].extensions[0].number' in test.yaml line 4: expected 2 "
            "to 15 digits, got '1234567890123456'");
  EXPECT_EQ(only_error(head + "      - number: 10a1\n"),
            "invalid value for 'tenants[0].extensions[0].number' in test.yaml line 4: expected 2 "
            "to 15 digits, got '10a1'");
  EXPECT_EQ(only_error(head + "      - 1001\n"),
            "invalid value for 'tenants[0].extensions[0]' in test.yaml line 4: expected a map with "
            "number, name and password, got '1001'");
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    extensions: {number: 1001}\n"),
            "invalid value for 'tenants[0].extensions' in test.yaml line 3: expected a list of "
            "{number, name, password}, got a map");
  auto ok = parse(head + "      - number: 10\n      - number: '123456789012345'\n");
  ASSERT_TRUE(ok.has_value()) << format_errors(ok.error());
  EXPECT_EQ(ok->tenants[0].extensions[1].number, "123456789012345");
}

TEST(Tenants, ExtensionDisplayNames) {
  const std::string head = "tenants:\n  - name: a\n    extensions:\n      - number: '100'\n";
  EXPECT_EQ(
      parse(head + "        name: " + std::string(100, 'n') + "\n")->tenants[0].extensions[0].name,
      std::string(100, 'n'));
  EXPECT_EQ(only_error(head + "        name: " + std::string(101, 'n') + "\n"),
            "invalid value for 'tenants[0].extensions[0].name' in test.yaml line 5: longer than "
            "100 characters");
  EXPECT_EQ(only_error(head + "        name: \"Eve\\r\\nFrom: forged\"\n"),
            "invalid value for 'tenants[0].extensions[0].name' in test.yaml line 5: contains a "
            "control character");
}

TEST(Tenants, ExtensionPasswords) {
  const std::string head = "tenants:\n  - name: a\n    extensions:\n      - number: '100'\n";
  auto password_error = [&](const std::string& value) {
    return only_error(head + "        password: " + value + "\n");
  };
  const std::string key =
      "invalid value for 'tenants[0].extensions[0].password' in test.yaml "
      "line 5: ";
  EXPECT_EQ(password_error("short7!"), key + "must be 8 to 128 characters long, got 7");
  EXPECT_EQ(password_error(std::string(129, 'p')),
            key + "must be 8 to 128 characters long, got 129");
  EXPECT_EQ(password_error("\"tab\\there-x\""), key + "contains a control character");
  EXPECT_EQ(password_error("\"p\u00e4ssw\u00f6rd-x\""),
            key + "contains a non-ASCII character (phones differ in how they encode those)");
  // The reason never repeats the password: errors end up in logs.
  EXPECT_EQ(password_error("short7!").find("short7!"), std::string::npos);
  auto ok = parse(head + "        password: \"" + std::string(128, 'p') + "\"\n");
  ASSERT_TRUE(ok.has_value()) << format_errors(ok.error());
  EXPECT_EQ(ok->tenants[0].extensions[0].password.size(), 128u);
  EXPECT_EQ(parse(head + "        password: 'a b c d e'\n")->tenants[0].extensions[0].password,
            "a b c d e");
}

TEST(Tenants, UnknownNestedKeysSuggestTheRightOne) {
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    domain: [x.example]\n"),
            "unknown key 'tenants[0].domain' in test.yaml line 3; did you mean "
            "'tenants[0].domains'?");
  EXPECT_EQ(only_error("tenants:\n  - name: a\n  - name: b\n    extension: []\n"),
            "unknown key 'tenants[1].extension' in test.yaml line 4; did you mean "
            "'tenants[1].extensions'?");
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    extensions:\n      - number: '100'\n"
                       "        pasword: abcdefgh\n"),
            "unknown key 'tenants[0].extensions[0].pasword' in test.yaml line 5; did you mean "
            "'tenants[0].extensions[0].password'?");
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    extensions:\n      - { numbr: '100', "
                       "number: '101' }\n"),
            "unknown key 'tenants[0].extensions[0].numbr' in test.yaml line 4; did you mean "
            "'tenants[0].extensions[0].number'?");
  // Nothing close: no guess.
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    colour: red\n"),
            "unknown key 'tenants[0].colour' in test.yaml line 3");
}

TEST(Tenants, DuplicateKeyInsideAnEntry) {
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    name: b\n"),
            "invalid value for 'tenants[0].name' in test.yaml line 3: duplicate key");
}

TEST(Tenants, DuplicateTenantNamesNameBothPlaces) {
  EXPECT_EQ(only_error("tenants:\n  - name: acme\n  - name: beta\n  - name: acme\n"),
            "invalid value for 'tenants[2].name' in test.yaml line 4: duplicate tenant name "
            "'acme' (also tenants[0].name, line 2)");
}

TEST(Tenants, DuplicateNumbersWithinATenant) {
  EXPECT_EQ(only_error("tenants:\n  - name: acme\n    extensions:\n      - number: '1001'\n"
                       "      - number: '1002'\n      - number: 1001\n"),
            "invalid value for 'tenants[0].extensions[2].number' in test.yaml line 6: duplicate "
            "extension 1001 in tenant 'acme' (also tenants[0].extensions[0].number, line 4)");
  // The same number in two tenants is two different extensions.
  EXPECT_TRUE(parse("tenants:\n  - name: a\n    extensions: [{number: '1001'}]\n"
                    "  - name: b\n    extensions: [{number: '1001'}]\n")
                  .has_value());
}

TEST(Tenants, ADomainBelongsToOneTenant) {
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    domains: [pbx.example.com]\n"
                       "  - name: b\n    domains:\n      - other.example.com\n"
                       "      - PBX.Example.com\n"),
            "invalid value for 'tenants[1].domains[1]' in test.yaml line 7: domain "
            "'pbx.example.com' is already claimed by tenant 'a' (tenants[0].domains[0], line 3)");
  EXPECT_EQ(only_error("tenants:\n  - name: a\n    domains: [x.example, y.example, x.example]\n"),
            "invalid value for 'tenants[0].domains[2]' in test.yaml line 3: domain 'x.example' is "
            "listed twice (also tenants[0].domains[0], line 3)");
}

TEST(Tenants, EveryProblemIsReported) {
  const std::string errors = all_errors(
      "tenants:\n  - name: Bad\n    extensions:\n      - number: x\n        password: short\n"
      "  - domains: [a.example]\n");
  EXPECT_NE(errors.find("'tenants[0].name' in test.yaml line 2"), std::string::npos) << errors;
  EXPECT_NE(errors.find("'tenants[0].extensions[0].number' in test.yaml line 4"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("'tenants[0].extensions[0].password' in test.yaml line 5"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("'tenants[1].name' in test.yaml line 6: missing"), std::string::npos)
      << errors;
}

TEST(Tenants, GarbageNeverThrows) {
  const std::vector<std::string> inputs = {
      "tenants: [[[]]]",
      "tenants:\n  - {name: [a]}\n",
      "tenants:\n  - name: a\n    extensions: [[1]]\n",
      "tenants:\n  - ? [a]\n    : b\n",
      "tenants:\n  - name: a\n    extensions:\n      - ? {x: 1}\n        : 2\n",
      "tenants:\n  - name: a\n    domains: [{}]\n",
      "tenants:\n  - name: a\n    extensions:\n      - {number: '10', password: [x]}\n",
      "tenants: *nowhere\n"};
  for (const auto& input : inputs) {
    EXPECT_FALSE(parse(input).has_value()) << input;
  }
}

}  // namespace
}  // namespace kolokol::config
