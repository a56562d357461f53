// database, registrar, security, calls and demo_tenant: each key loads its valid range and
// names itself and its line when a value is out of it.
#include <gtest/gtest.h>

#include "unit/config/config_test_support.h"

namespace kolokol::config {
namespace {

using std::chrono::seconds;
using testing::only_error;
using testing::parse;

std::string error_for(const std::string& section, const std::string& key,
                      const std::string& value) {
  return only_error(section + ":\n  " + key + ": " + value + "\n");
}

std::string invalid(const std::string& key, const std::string& reason) {
  return "invalid value for '" + key + "' in test.yaml line 2: " + reason;
}

TEST(SettingsKeys, DefaultsAreTheStructDefaults) {
  auto config = parse("");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->database.url, "");
  EXPECT_EQ(config->registrar.min_expires, seconds(60));
  EXPECT_EQ(config->registrar.max_expires, seconds(3600));
  EXPECT_EQ(config->registrar.default_expires, seconds(3600));
  EXPECT_EQ(config->registrar.max_contacts, 10u);
  EXPECT_EQ(config->registrar.qualify_interval, seconds(30));
  EXPECT_EQ(config->security.auth_failures, 10u);
  EXPECT_EQ(config->security.auth_failure_window, seconds(60));
  EXPECT_EQ(config->security.auth_ban_time, seconds(300));
  EXPECT_EQ(config->calls.ring_timeout, seconds(60));
  EXPECT_EQ(config->calls.session_expires, seconds(1800));
  EXPECT_TRUE(config->demo_tenant);
  EXPECT_TRUE(config->tenants.empty());
}

TEST(SettingsKeys, EveryKeyCanBeSet) {
  auto config = parse(R"(
database:
  url: sqlite:/tmp/kolokol-test.db
registrar:
  min_expires: 30s
  max_expires: 2h
  default_expires: 10m
  max_contacts: 3
  qualify_interval: 45s
security:
  auth_failures: 5
  auth_failure_window: 2m
  auth_ban_time: 1h
calls:
  ring_timeout: 20s
  session_expires: 15m
demo_tenant: false
)");
  ASSERT_TRUE(config.has_value()) << format_errors(config.error());
  EXPECT_EQ(config->database.url, "sqlite:/tmp/kolokol-test.db");
  EXPECT_EQ(config->registrar.min_expires, seconds(30));
  EXPECT_EQ(config->registrar.max_expires, seconds(7200));
  EXPECT_EQ(config->registrar.default_expires, seconds(600));
  EXPECT_EQ(config->registrar.max_contacts, 3u);
  EXPECT_EQ(config->registrar.qualify_interval, seconds(45));
  EXPECT_EQ(config->security.auth_failures, 5u);
  EXPECT_EQ(config->security.auth_failure_window, seconds(120));
  EXPECT_EQ(config->security.auth_ban_time, seconds(3600));
  EXPECT_EQ(config->calls.ring_timeout, seconds(20));
  EXPECT_EQ(config->calls.session_expires, seconds(900));
  EXPECT_FALSE(config->demo_tenant);
}

TEST(SettingsKeys, RangeEndsAreAccepted) {
  auto low = parse(R"(
registrar: { min_expires: 1s, max_expires: 1s, default_expires: 1s, max_contacts: 1,
             qualify_interval: 5s }
security: { auth_failures: 1, auth_failure_window: 1s, auth_ban_time: 1s }
calls: { ring_timeout: 5s, session_expires: 90s }
demo_tenant: true
)");
  ASSERT_TRUE(low.has_value()) << format_errors(low.error());
  EXPECT_EQ(low->registrar.max_expires, seconds(1));
  EXPECT_EQ(low->calls.session_expires, seconds(90));
  auto high = parse(R"(
registrar: { min_expires: 1h, max_expires: 168h, default_expires: 168h, max_contacts: 100,
             qualify_interval: 1h }
security: { auth_failures: 1000, auth_failure_window: 1h, auth_ban_time: 168h }
calls: { ring_timeout: 10m, session_expires: 24h }
)");
  ASSERT_TRUE(high.has_value()) << format_errors(high.error());
  EXPECT_EQ(high->registrar.max_expires, seconds(7 * 24 * 3600));
  EXPECT_EQ(high->security.auth_ban_time, seconds(7 * 24 * 3600));
  EXPECT_EQ(high->calls.session_expires, seconds(24 * 3600));
  // 0s switches qualify and the imposed session timer off.
  auto off = parse("registrar: { qualify_interval: 0s }\ncalls: { session_expires: 0s }\n");
  ASSERT_TRUE(off.has_value()) << format_errors(off.error());
  EXPECT_EQ(off->registrar.qualify_interval, seconds(0));
  EXPECT_EQ(off->calls.session_expires, seconds(0));
}

TEST(SettingsKeys, DatabaseUrl) {
  EXPECT_EQ(parse("database:\n  url: ''\n")->database.url, "");
  EXPECT_EQ(parse("database:\n  url: SQLite:relative/pbx.db\n")->database.url,
            "sqlite:relative/pbx.db");
  const std::string postgres = error_for("database", "url", "postgresql://pbx:hunter22@db/pbx");
  EXPECT_EQ(postgres, invalid("database.url",
                              "only sqlite: URLs are supported until the PostgreSQL backend "
                              "exists, got a 'postgresql:' URL"));
  EXPECT_EQ(postgres.find("hunter22"), std::string::npos) << "a URL's password was echoed";
  EXPECT_EQ(error_for("database", "url", "/var/lib/kolokol/pbx.db"),
            invalid("database.url",
                    "only sqlite: URLs are supported until the PostgreSQL backend exists; write "
                    "sqlite:<path>, e.g. sqlite:/var/lib/kolokol/kolokol.db"));
  EXPECT_EQ(error_for("database", "url", "'sqlite:'"),
            invalid("database.url",
                    "sqlite: needs a file path, e.g. "
                    "sqlite:/var/lib/kolokol/kolokol.db"));
  EXPECT_EQ(error_for("database", "url", "sqlite://pbx.db"),
            invalid("database.url",
                    "write sqlite:<path> without '//', e.g. sqlite:/var/lib/kolokol/kolokol.db "
                    "or sqlite:relative/file.db"));
  EXPECT_EQ(error_for("database", "url", "[sqlite:/a.db]"),
            invalid("database.url", "expected a database URL, got a list"));
}

TEST(SettingsKeys, RegistrarValuesOutOfRange) {
  EXPECT_EQ(error_for("registrar", "min_expires", "0s"),
            invalid("registrar.min_expires", "must be between 1s and 1h, got '0s'"));
  EXPECT_EQ(error_for("registrar", "min_expires", "61m"),
            invalid("registrar.min_expires", "must be between 1s and 1h, got '61m'"));
  EXPECT_EQ(error_for("registrar", "max_expires", "169h"),
            invalid("registrar.max_expires", "must be between 1s and 168h, got '169h'"));
  EXPECT_EQ(error_for("registrar", "default_expires", "0s"),
            invalid("registrar.default_expires", "must be between 1s and 168h, got '0s'"));
  EXPECT_EQ(error_for("registrar", "max_contacts", "0"),
            invalid("registrar.max_contacts", "must be between 1 and 100, got '0'"));
  EXPECT_EQ(error_for("registrar", "max_contacts", "101"),
            invalid("registrar.max_contacts", "must be between 1 and 100, got '101'"));
  EXPECT_EQ(error_for("registrar", "max_contacts", "ten"),
            invalid("registrar.max_contacts", "expected an integer, got 'ten'"));
  EXPECT_EQ(
      error_for("registrar", "qualify_interval", "4s"),
      invalid("registrar.qualify_interval", "must be 0s (off) or between 5s and 1h, got '4s'"));
  EXPECT_EQ(
      error_for("registrar", "qualify_interval", "2h"),
      invalid("registrar.qualify_interval", "must be 0s (off) or between 5s and 1h, got '2h'"));
}

TEST(SettingsKeys, SecondsSettingsRefuseFractionsAndBareNumbers) {
  EXPECT_EQ(error_for("registrar", "min_expires", "1500ms"),
            invalid("registrar.min_expires", "must be a whole number of seconds, got '1500ms'"));
  EXPECT_EQ(error_for("calls", "ring_timeout", "500ms"),
            invalid("calls.ring_timeout", "must be a whole number of seconds, got '500ms'"));
  EXPECT_EQ(
      error_for("registrar", "default_expires", "3600"),
      invalid("registrar.default_expires", "a duration needs a unit (ms, s, m or h), got '3600'"));
  // A whole number of seconds written in milliseconds is fine.
  EXPECT_EQ(parse("calls:\n  ring_timeout: 30000ms\n")->calls.ring_timeout, seconds(30));
}

TEST(SettingsKeys, SecurityValuesOutOfRange) {
  EXPECT_EQ(error_for("security", "auth_failures", "0"),
            invalid("security.auth_failures", "must be between 1 and 1000, got '0'"));
  EXPECT_EQ(error_for("security", "auth_failures", "1001"),
            invalid("security.auth_failures", "must be between 1 and 1000, got '1001'"));
  EXPECT_EQ(error_for("security", "auth_failure_window", "0s"),
            invalid("security.auth_failure_window", "must be between 1s and 1h, got '0s'"));
  EXPECT_EQ(error_for("security", "auth_failure_window", "2h"),
            invalid("security.auth_failure_window", "must be between 1s and 1h, got '2h'"));
  EXPECT_EQ(error_for("security", "auth_ban_time", "0s"),
            invalid("security.auth_ban_time", "must be between 1s and 168h, got '0s'"));
  EXPECT_EQ(error_for("security", "auth_ban_time", "169h"),
            invalid("security.auth_ban_time", "must be between 1s and 168h, got '169h'"));
}

TEST(SettingsKeys, CallValuesOutOfRange) {
  EXPECT_EQ(error_for("calls", "ring_timeout", "4s"),
            invalid("calls.ring_timeout", "must be between 5s and 10m, got '4s'"));
  EXPECT_EQ(error_for("calls", "ring_timeout", "11m"),
            invalid("calls.ring_timeout", "must be between 5s and 10m, got '11m'"));
  EXPECT_EQ(error_for("calls", "session_expires", "89s"),
            invalid("calls.session_expires", "must be 0s (off) or between 90s and 24h, got '89s'"));
  EXPECT_EQ(error_for("calls", "session_expires", "25h"),
            invalid("calls.session_expires", "must be 0s (off) or between 90s and 24h, got '25h'"));
}

TEST(SettingsKeys, DemoTenantIsTrueOrFalse) {
  EXPECT_TRUE(parse("demo_tenant: true\n")->demo_tenant);
  EXPECT_FALSE(parse("demo_tenant: false\n")->demo_tenant);
  EXPECT_EQ(only_error("demo_tenant: yes\n"),
            "invalid value for 'demo_tenant' in test.yaml line 1: expected true or false, got "
            "'yes'");
  EXPECT_EQ(only_error("demo_tenant:\n  - true\n"),
            "invalid value for 'demo_tenant' in test.yaml line 2: expected true or false, got a "
            "list");
}

TEST(SettingsKeys, UnknownKeysInTheNewSectionsSuggest) {
  EXPECT_EQ(only_error("registrar:\n  max_expire: 1h\n"),
            "unknown key 'registrar.max_expire' in test.yaml line 2; did you mean "
            "'registrar.max_expires'?");
  EXPECT_EQ(only_error("security:\n  auth_failure: 3\n"),
            "unknown key 'security.auth_failure' in test.yaml line 2; did you mean "
            "'security.auth_failures'?");
  EXPECT_EQ(only_error("ring_timeout: 30s\n"),
            "unknown key 'ring_timeout' in test.yaml line 1; did you mean 'calls.ring_timeout'?");
  EXPECT_EQ(only_error("database:\n  uri: sqlite:/a.db\n"),
            "unknown key 'database.uri' in test.yaml line 2; did you mean 'database.url'?");
}

TEST(RegistrarOrder, MinNotAboveMax) {
  EXPECT_EQ(only_error("registrar:\n  min_expires: 10m\n  max_expires: 5m\n"),
            "invalid value for 'registrar.max_expires' in test.yaml line 3: must not be shorter "
            "than registrar.min_expires (10m)");
}

TEST(RegistrarOrder, DefaultBetweenMinAndMax) {
  EXPECT_EQ(only_error("registrar:\n  min_expires: 30m\n  default_expires: 10m\n"),
            "invalid value for 'registrar.default_expires' in test.yaml line 3: must not be "
            "shorter than registrar.min_expires (30m)");
  EXPECT_EQ(only_error("registrar:\n  default_expires: 30s\n"),
            "invalid value for 'registrar.default_expires' in test.yaml line 2: must not be "
            "shorter than registrar.min_expires (1m, its default)");
  EXPECT_EQ(only_error("registrar:\n  default_expires: 2h\n"),
            "invalid value for 'registrar.default_expires' in test.yaml line 2: must not be "
            "longer than registrar.max_expires (1h, its default)");
  // Lowering max_expires alone leaves the default default_expires (1h) above it.
  EXPECT_EQ(only_error("registrar:\n  max_expires: 30m\n"),
            "invalid value for 'registrar.max_expires' in test.yaml line 2: must not be shorter "
            "than registrar.default_expires (1h, its default)");
  EXPECT_TRUE(
      parse("registrar: { min_expires: 2m, default_expires: 2m, max_expires: 2m }\n").has_value());
}

}  // namespace
}  // namespace kolokol::config
