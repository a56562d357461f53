#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kolokol_cli/http_client.h"

namespace kolokol::cli {

// Exit statuses (docs/cli.md).
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // the daemon refused (its problem detail is printed) or bad use
constexpr int kExitUnreachable = 2;  // no answer from the daemon

// Thrown once the reason was printed; main() exits with `status`.
struct CommandFailed {
  int status = kExitFailed;
};

// Each command of `kolokol`: one or two admin API requests, then a table or a few lines for a
// person, or the API's JSON as it came (--json). A failed request prints the reason on `err` and
// throws CommandFailed.
class Commands {
 public:
  Commands(HttpClient client, bool json, std::ostream& out, std::ostream& err)
      : client_(std::move(client)), json_(json), out_(out), err_(err) {}

  void tenants();
  void extension_list(const std::optional<std::string>& tenant);
  void extension_show(const std::string& number, const std::optional<std::string>& tenant);
  void extension_add(const std::string& number, const std::optional<std::string>& name,
                     const std::optional<std::string>& password,
                     const std::optional<std::string>& tenant);
  void extension_update(const std::string& number, const std::optional<std::string>& name,
                        std::optional<bool> enabled, const std::optional<std::string>& tenant);
  void extension_remove(const std::string& number, const std::optional<std::string>& tenant);
  void extension_passwd(const std::string& number, const std::optional<std::string>& password,
                        const std::optional<std::string>& tenant);
  void registrations(const std::optional<std::string>& tenant);
  void calls(const std::optional<std::string>& tenant);
  void cdr(const std::optional<std::string>& tenant, const std::optional<std::string>& number,
           std::optional<int> limit);

 private:
  // The answer's JSON (null for 204) when the status is 2xx; otherwise prints why and throws.
  nlohmann::json request(const std::string& method, const std::string& target,
                         const nlohmann::json& body = nullptr);
  // --json: the answer as it came.
  void print_json(const nlohmann::json& answer);
  // The tenant given, or the name of the default tenant (asked from the daemon).
  std::string tenant_or_default(const std::optional<std::string>& tenant);
  std::string extension_path(const std::string& tenant, const std::string& number) const;

  HttpClient client_;
  bool json_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace kolokol::cli
