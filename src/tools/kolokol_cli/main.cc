// kolokol: the administrator's command-line tool, a client of kolokold's admin API
// (docs/cli.md, docs/api.md).
//   kolokol extension add 2001 --name "Reception"   kolokol extension list
//   kolokol extension passwd 2001                   kolokol registrations | calls | cdr
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>

#include "kolokol_cli/commands.h"
#include "kolokol_cli/http_client.h"
#include "kolokol_cli/token.h"

using namespace kolokol::cli;

namespace {

// What was parsed; the chosen command runs once the connection settings are known.
struct Parsed {
  std::string url = "http://127.0.0.1:8080";
  std::optional<std::string> token_file;
  bool json = false;
  int timeout_s = 10;
  std::function<void(Commands&)> run;
};

// An option that stays nullopt unless given.
template <typename T>
CLI::Option* optional(CLI::App* app, const std::string& name, std::optional<T>& value,
                      const std::string& description) {
  return app->add_option_function<T>(
      name, [&value](const T& given) { value = given; }, description);
}

}  // namespace

int main(int argc, char** argv) {
  Parsed parsed;
  CLI::App app{"kolokol: manage a running kolokold (extensions, registrations, calls, CDR)"};
  app.require_subcommand(1);
  app.fallthrough();  // global options also after the command: `kolokol calls --json`
  app.add_option("--url", parsed.url, "kolokold's HTTP address")->capture_default_str();
  optional(&app, "--token-file", parsed.token_file,
           "file with the admin token (default: $KOLOKOL_TOKEN, else ./var/admin-token)");
  app.add_flag("--json", parsed.json, "print the API's JSON instead of tables");
  app.add_option("--timeout", parsed.timeout_s, "seconds to wait for each step")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();

  // Per-command options: they live as long as `app`.
  std::optional<std::string> tenant, name, password, number_filter;
  std::optional<int> limit;
  std::string number;
  bool enable = false, disable = false;
  auto tenant_option = [&](CLI::App* command) {
    optional(command, "--tenant", tenant, "tenant name (default: the default tenant)");
  };
  auto tenant_filter = [&](CLI::App* command) {
    optional(command, "--tenant", tenant, "only this tenant (default: every tenant)");
  };

  app.add_subcommand("tenants", "list the tenants")->callback([&] {
    parsed.run = [](Commands& c) { c.tenants(); };
  });

  CLI::App* extension = app.add_subcommand("extension", "manage extensions");
  extension->require_subcommand(1);
  CLI::App* list = extension->add_subcommand("list", "list the extensions of a tenant");
  tenant_option(list);
  list->callback([&] { parsed.run = [&](Commands& c) { c.extension_list(tenant); }; });

  CLI::App* show = extension->add_subcommand("show", "show one extension");
  show->add_option("NUMBER", number, "extension number")->required();
  tenant_option(show);
  show->callback([&] { parsed.run = [&](Commands& c) { c.extension_show(number, tenant); }; });

  CLI::App* add = extension->add_subcommand("add", "add an extension (prints its password)");
  add->add_option("NUMBER", number, "extension number, 2 to 15 digits")->required();
  optional(add, "--name", name, "display name");
  optional(add, "--password", password, "SIP password (default: a random one, printed)");
  tenant_option(add);
  add->callback(
      [&] { parsed.run = [&](Commands& c) { c.extension_add(number, name, password, tenant); }; });

  CLI::App* update = extension->add_subcommand("update", "change the name or enable/disable");
  update->add_option("NUMBER", number, "extension number")->required();
  optional(update, "--name", name, "new display name");
  auto* enable_flag = update->add_flag("--enable", enable, "allow it to register and call");
  update->add_flag("--disable", disable, "refuse its registrations and calls")
      ->excludes(enable_flag);
  tenant_option(update);
  update->callback([&] {
    parsed.run = [&](Commands& c) {
      const std::optional<bool> enabled = enable    ? std::optional<bool>(true)
                                          : disable ? std::optional<bool>(false)
                                                    : std::nullopt;
      c.extension_update(number, name, enabled, tenant);
    };
  });

  CLI::App* remove =
      extension->add_subcommand("remove", "remove an extension and its registrations");
  remove->add_option("NUMBER", number, "extension number")->required();
  tenant_option(remove);
  remove->callback([&] { parsed.run = [&](Commands& c) { c.extension_remove(number, tenant); }; });

  CLI::App* passwd = extension->add_subcommand("passwd", "set a new SIP password (printed)");
  passwd->add_option("NUMBER", number, "extension number")->required();
  optional(passwd, "--password", password, "the new password (default: a random one)");
  tenant_option(passwd);
  passwd->callback(
      [&] { parsed.run = [&](Commands& c) { c.extension_passwd(number, password, tenant); }; });

  CLI::App* registrations = app.add_subcommand("registrations", "list registered contacts");
  tenant_filter(registrations);
  registrations->callback([&] { parsed.run = [&](Commands& c) { c.registrations(tenant); }; });

  CLI::App* calls = app.add_subcommand("calls", "list the calls in progress");
  tenant_filter(calls);
  calls->callback([&] { parsed.run = [&](Commands& c) { c.calls(tenant); }; });

  CLI::App* cdr = app.add_subcommand("cdr", "list recent call records, newest first");
  tenant_filter(cdr);
  optional(cdr, "--number", number_filter, "only calls from or to this number");
  optional(cdr, "--limit", limit, "at most this many (1-1000, default 50)")
      ->check(CLI::Range(1, 1000));
  cdr->callback([&] { parsed.run = [&](Commands& c) { c.cdr(tenant, number_filter, limit); }; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitFailed;
  }

  auto url = parse_server_url(parsed.url);
  if (!url) {
    std::cerr << "kolokol: " << url.error() << "\n";
    return kExitFailed;
  }
  auto token = admin_token(parsed.token_file, std::getenv("KOLOKOL_TOKEN"));
  if (!token) {
    std::cerr << "kolokol: " << token.error() << "\n";
    return kExitFailed;
  }
  Commands commands(HttpClient(*url, *token, std::chrono::seconds(parsed.timeout_s)), parsed.json,
                    std::cout, std::cerr);
  try {
    parsed.run(commands);
  } catch (const CommandFailed& failed) {
    return failed.status;
  }
  return kExitOk;
}
