#include "config/loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace kolokol::config {
namespace {

using std::chrono::milliseconds;

const DefaultsContext kV4Only{false, "1.2.3"};

base::Expected<Config, ConfigErrors> parse(const std::string& yaml,
                                           const Overrides& overrides = {}) {
  return parse_config(yaml, "test.yaml", overrides, kV4Only);
}

// The one error a load must produce, as the operator would read it.
std::string only_error(const std::string& yaml) {
  auto result = parse(yaml);
  if (result.has_value()) return "(loaded fine)";
  EXPECT_EQ(result.error().size(), 1u) << format_errors(result.error());
  return result.error().front().to_string();
}

TEST(Defaults, RunWithoutAFile) {
  auto config = load_config(std::nullopt, {}, kV4Only);
  ASSERT_TRUE(config.has_value());
  const std::vector<SipListener> expected{{SipTransport::Udp, "0.0.0.0", 5060},
                                          {SipTransport::Tcp, "0.0.0.0", 5060},
                                          {SipTransport::Tls, "0.0.0.0", 5061}};
  EXPECT_EQ(config->sip.listen, expected);
  EXPECT_EQ(config->http.address, "127.0.0.1");
  EXPECT_EQ(config->http.port, 8080);
  EXPECT_EQ(config->http.max_body_size, 1024u * 1024u);
  EXPECT_EQ(config->data_dir, "./var");
  EXPECT_EQ(config->log.level, "info");
  EXPECT_EQ(config->log.file, "");
  EXPECT_EQ(config->sip.timers.t1, milliseconds(500));
  EXPECT_EQ(config->sip.timers.t2, milliseconds(4000));
  EXPECT_EQ(config->sip.timers.t4, milliseconds(5000));
  EXPECT_EQ(config->sip.user_agent, "Kolokol/1.2.3");
  EXPECT_TRUE(config->sip.domains.empty());
  EXPECT_EQ(config->shutdown.drain_timeout, milliseconds(2000));
}

TEST(Defaults, AddIpv6ListenersWhenTheHostHasIpv6) {
  const Config config = default_config({true, "1"});
  ASSERT_EQ(config.sip.listen.size(), 6u);
  EXPECT_EQ(config.sip.listen[3], (SipListener{SipTransport::Udp, "::", 5060}));
  EXPECT_EQ(config.sip.listen[5], (SipListener{SipTransport::Tls, "::", 5061}));
}

TEST(Defaults, EmptyFileAndCommentsOnlyAreAllDefaults) {
  EXPECT_EQ(*parse(""), default_config(kV4Only));
  EXPECT_EQ(*parse("# nothing here\n"), default_config(kV4Only));
  EXPECT_EQ(*parse("log:\n"), default_config(kV4Only));
}

TEST(Overrides, EveryKeyCanBeSet) {
  auto config = parse(R"(
sip:
  listen:
    - { transport: udp, address: 127.0.0.1, port: 5070 }
    - transport: tls
      address: "[::1]"
  advertised_host: PBX.example.com
  domains: [example.com, 10.0.0.1]
  tcp_idle_timeout: 90s
  max_connections: 500
  timers: { t1: 100ms, t2: 2s, t4: 3s }
  user_agent: "Test UA"
http:
  listen: { address: "::1", port: 9090 }
  max_body_size: 64KiB
  read_timeout: 5s
data_dir: /tmp/kolokol-data
log: { level: debug, file: /tmp/kolokol.log }
shutdown: { drain_timeout: 500ms }
)");
  ASSERT_TRUE(config.has_value()) << format_errors(config.error());
  const std::vector<SipListener> expected{{SipTransport::Udp, "127.0.0.1", 5070},
                                          {SipTransport::Tls, "::1", 5061}};
  EXPECT_EQ(config->sip.listen, expected);
  EXPECT_EQ(config->sip.advertised_host, "pbx.example.com");
  EXPECT_EQ(config->sip.domains, (std::vector<std::string>{"example.com", "10.0.0.1"}));
  EXPECT_EQ(config->sip.tcp_idle_timeout, milliseconds(90'000));
  EXPECT_EQ(config->sip.max_connections, 500u);
  EXPECT_EQ(config->sip.timers.t1, milliseconds(100));
  EXPECT_EQ(config->sip.timers.t2, milliseconds(2000));
  EXPECT_EQ(config->sip.timers.t4, milliseconds(3000));
  EXPECT_EQ(config->sip.user_agent, "Test UA");
  EXPECT_EQ(config->http.address, "::1");
  EXPECT_EQ(config->http.port, 9090);
  EXPECT_EQ(config->http.max_body_size, 65536u);
  EXPECT_EQ(config->http.read_timeout, milliseconds(5000));
  EXPECT_EQ(config->data_dir, "/tmp/kolokol-data");
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(config->log.file, "/tmp/kolokol.log");
  EXPECT_EQ(config->shutdown.drain_timeout, milliseconds(500));
}

TEST(Overrides, CommandLineWinsOverTheFile) {
  auto config = parse("data_dir: /from/file\nlog: { level: warn }\n",
                      Overrides{std::string("/from/cli"), std::string("debug")});
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->data_dir, "/from/cli");
  EXPECT_EQ(config->log.level, "debug");
}

TEST(Overrides, BadCommandLineValuesAreNamed) {
  auto config = parse("", Overrides{std::nullopt, std::string("loud")});
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().front().to_string(),
            "invalid value for 'log.level' in --log-level: expected one of trace, debug, info, "
            "warn, error, off; got 'loud'");
}

TEST(Errors, UnknownKeyNamesLineAndSuggestion) {
  EXPECT_EQ(only_error("sip:\n  user_agent: x\n  listn: []\n"),
            "unknown key 'sip.listn' in test.yaml line 3; did you mean 'sip.listen'?");
  EXPECT_EQ(only_error("htp:\n  listen: {port: 1}\n"),
            "unknown key 'htp' in test.yaml line 1; did you mean 'http'?");
  EXPECT_EQ(only_error("tcp_idle_timeout: 5s\n"),
            "unknown key 'tcp_idle_timeout' in test.yaml line 1; did you mean "
            "'sip.tcp_idle_timeout'?");
  EXPECT_EQ(only_error("completely_different: 1\n"),
            "unknown key 'completely_different' in test.yaml line 1");
}

TEST(Errors, UnknownKeyInsideAListener) {
  EXPECT_EQ(only_error("sip:\n  listen:\n    - transport: udp\n      adress: 127.0.0.1\n"),
            "unknown key 'sip.listen[0].adress' in test.yaml line 4; did you mean "
            "'sip.listen[0].address'?");
}

TEST(Errors, WrongTypes) {
  EXPECT_EQ(only_error("sip:\n  timers:\n    t1: [1, 2]\n"),
            "invalid value for 'sip.timers.t1' in test.yaml line 3: expected a duration, got a "
            "list");
  EXPECT_EQ(only_error("sip: 5\n"),
            "invalid value for 'sip' in test.yaml line 1: expected 'sip' to be a map of keys");
  EXPECT_EQ(only_error("sip:\n  listen: udp\n"),
            "invalid value for 'sip.listen' in test.yaml line 2: expected a list of {transport, "
            "address, port}");
  EXPECT_EQ(only_error("- a\n- b\n"),
            "invalid value for '(top level)' in test.yaml line 1: expected the file to be a map "
            "of keys");
  EXPECT_EQ(only_error("sip:\n  max_connections: many\n"),
            "invalid value for 'sip.max_connections' in test.yaml line 2: expected an integer, "
            "got 'many'");
  EXPECT_EQ(only_error("sip:\n  timers:\n    t1:\n"),
            "invalid value for 'sip.timers.t1' in test.yaml line 3: expected a duration, got "
            "nothing");
}

TEST(Errors, BadPort) {
  EXPECT_EQ(only_error("http:\n  listen:\n    port: 70000\n"),
            "invalid value for 'http.listen.port' in test.yaml line 3: port must be between 1 and "
            "65535, got '70000'");
  EXPECT_EQ(only_error("sip:\n  listen:\n    - { transport: udp, port: 0 }\n"),
            "invalid value for 'sip.listen[0].port' in test.yaml line 3: port must be between 1 "
            "and 65535, got '0'");
}

TEST(Errors, BadAddressTransportAndEnum) {
  EXPECT_EQ(only_error("http:\n  listen: { address: localhost }\n"),
            "invalid value for 'http.listen.address' in test.yaml line 2: expected an IPv4 or "
            "IPv6 address such as 0.0.0.0 or ::, got 'localhost'");
  EXPECT_EQ(only_error("sip:\n  listen:\n    - { transport: sctp }\n"),
            "invalid value for 'sip.listen[0].transport' in test.yaml line 3: expected one of "
            "udp, tcp, tls; got 'sctp'");
  EXPECT_EQ(only_error("sip:\n  listen:\n    - { address: 1.2.3.4 }\n"),
            "invalid value for 'sip.listen[0].transport' in test.yaml line 3: missing (udp, tcp "
            "or tls)");
  EXPECT_EQ(only_error("log:\n  level: verbose\n"),
            "invalid value for 'log.level' in test.yaml line 2: expected one of trace, debug, "
            "info, warn, error, off; got 'verbose'");
}

TEST(Errors, BadDurationsAndSizes) {
  EXPECT_EQ(only_error("sip:\n  tcp_idle_timeout: 30\n"),
            "invalid value for 'sip.tcp_idle_timeout' in test.yaml line 2: a duration needs a "
            "unit (ms, s, m or h), got '30'");
  EXPECT_EQ(only_error("sip:\n  tcp_idle_timeout: 100ms\n"),
            "invalid value for 'sip.tcp_idle_timeout' in test.yaml line 2: must be between 1s "
            "and 24h, got '100ms'");
  EXPECT_EQ(only_error("http:\n  max_body_size: 1TiB\n"),
            "invalid value for 'http.max_body_size' in test.yaml line 2: unknown size unit 'TiB' "
            "in '1TiB' (use B, KiB, MiB or GiB)");
}

TEST(Errors, DuplicateListeners) {
  EXPECT_EQ(only_error("sip:\n  listen:\n    - { transport: udp, port: 5070 }\n"
                       "    - { transport: tcp, port: 5070 }\n"
                       "    - { transport: udp, address: 0.0.0.0, port: 5070 }\n"),
            "invalid value for 'sip.listen[2]' in test.yaml line 5: duplicate listener udp "
            "0.0.0.0:5070 (same as sip.listen[0])");
  EXPECT_EQ(only_error("sip:\n  listen:\n    - { transport: tcp, address: '::' }\n"
                       "    - { transport: tcp, address: '::1' }\n"),
            "invalid value for 'sip.listen[1]' in test.yaml line 4: listener tcp [::1]:5060 "
            "overlaps sip.listen[0] tcp [::]:5060 (a wildcard address already covers it)");
  // Different families on the same port do not collide.
  EXPECT_TRUE(parse("sip:\n  listen:\n    - { transport: udp, address: 0.0.0.0 }\n"
                    "    - { transport: udp, address: '::' }\n")
                  .has_value());
}

TEST(Errors, DuplicateKeysAndEmptyListenerList) {
  EXPECT_EQ(only_error("log:\n  level: info\n  level: debug\n"),
            "invalid value for 'log.level' in test.yaml line 3: duplicate key");
  EXPECT_EQ(only_error("sip:\n  listen: []\n"),
            "invalid value for 'sip.listen' in test.yaml line 2: needs at least one listener");
}

TEST(Errors, TimersAndTlsPairAreCheckedTogether) {
  EXPECT_EQ(only_error("sip:\n  timers:\n    t1: 2s\n    t2: 1s\n"),
            "invalid value for 'sip.timers.t2' in test.yaml line 4: must not be shorter than "
            "sip.timers.t1 (2s)");
  EXPECT_EQ(only_error("sip:\n  tls:\n    certificate: /nonexistent/cert.pem\n"),
            "invalid value for 'sip.tls.private_key' in test.yaml line 3: must be set together "
            "with sip.tls.certificate");
}

TEST(Errors, TlsFilesMustBeReadable) {
  const auto dir = std::filesystem::temp_directory_path() / "kolokol-config-test";
  std::filesystem::create_directories(dir);
  const auto cert = (dir / "cert.pem").string();
  std::ofstream(cert) << "x";
  auto config =
      parse("sip:\n  tls:\n    certificate: " + cert + "\n    private_key: /nonexistent/key.pem\n");
  ASSERT_FALSE(config.has_value());
  ASSERT_EQ(config.error().size(), 1u);
  EXPECT_EQ(config.error()[0].to_string(),
            "invalid value for 'sip.tls.private_key' in test.yaml line 4: cannot read "
            "'/nonexistent/key.pem'");
  std::filesystem::remove_all(dir);
}

TEST(Errors, ControlCharactersAreRefused) {
  EXPECT_EQ(only_error("sip:\n  user_agent: \"a\\r\\nVia: forged\"\n"),
            "invalid value for 'sip.user_agent' in test.yaml line 2: contains a control character");
}

TEST(Errors, AllProblemsAreReportedAtOnce) {
  auto config = parse("sip:\n  listn: []\nhttp:\n  listen: { port: 0 }\nlog: { level: x }\n");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().size(), 3u) << format_errors(config.error());
}

TEST(Errors, YamlSyntaxErrorHasALine) {
  auto config = parse("sip:\n  listen: [\n");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().front().kind, ConfigError::Kind::Syntax);
  EXPECT_NE(config.error().front().to_string().find("syntax error in test.yaml line"),
            std::string::npos);
}

TEST(Files, MissingFileAndDirectoryAreRefused) {
  auto missing = load_config(std::string("/nonexistent/kolokol.yaml"), {}, kV4Only);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().front().to_string(),
            "cannot read /nonexistent/kolokol.yaml: no such file (or not a regular file)");
  EXPECT_FALSE(load_config(std::string("/tmp"), {}, kV4Only).has_value());
}

TEST(Files, LoadsAFileFromDisk) {
  const auto path = (std::filesystem::temp_directory_path() / "kolokol-loader-test.yaml").string();
  std::ofstream(path) << "http:\n  listen:\n    port: 8181\n";
  auto config = load_config(path, {}, kV4Only);
  std::filesystem::remove(path);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->http.port, 8181);
}

TEST(Robustness, GarbageNeverThrows) {
  const std::vector<std::string> inputs = {"{{{{",
                                           "]]]",
                                           "a: *unknown_alias",
                                           "? [a]\n: b",
                                           "sip: {listen: [[[]]]}",
                                           "\t\x01\x02",
                                           "sip:\n  listen:\n    - [udp]\n",
                                           "sip:\n  domains: {a: b}\n",
                                           "sip:\n  domains: [[x]]\n",
                                           std::string(10000, '['),
                                           "!!binary abc: 1"};
  for (const auto& input : inputs) {
    auto config = parse(input);
    EXPECT_FALSE(config.has_value()) << input;
  }
}

}  // namespace
}  // namespace kolokol::config
