#include "kolokol_cli/commands.h"

#include <ostream>

#include "kolokol_cli/table.h"

namespace kolokol::cli {
namespace {

using nlohmann::json;

// A member as text for a table cell: "" when absent or null, yes/no for booleans.
std::string text(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return "";
  if (found->is_string()) return found->get<std::string>();
  if (found->is_boolean()) return found->get<bool>() ? "yes" : "no";
  return found->dump();
}

std::int64_t integer(const json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_number() ? found->get<std::int64_t>() : 0;
}

const json& list(const json& answer, const char* key) {
  static const json kEmpty = json::array();
  const auto found = answer.find(key);
  return found != answer.end() && found->is_array() ? *found : kEmpty;
}

// "2024-05-01T12:00:00Z" -> "2024-05-01 12:00:00" (the column headers say UTC).
std::string utc_cell(const json& object, const char* key) {
  std::string value = text(object, key);
  if (value.size() == 20 && value[10] == 'T' && value.back() == 'Z') {
    value[10] = ' ';
    value.pop_back();
  }
  return value;
}

// 75 -> "1:15", 3725 -> "1:02:05".
std::string duration_cell(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const auto hours = seconds / 3600;
  const auto minutes = seconds / 60 % 60;
  const auto rest = seconds % 60;
  auto two = [](std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  if (hours > 0) return std::to_string(hours) + ":" + two(minutes) + ":" + two(rest);
  return std::to_string(minutes) + ":" + two(rest);
}

std::string joined(const json& array) {
  std::string out;
  if (!array.is_array()) return out;
  for (const auto& item : array) {
    if (!out.empty()) out += ", ";
    out += item.is_string() ? item.get<std::string>() : item.dump();
  }
  return out;
}

void print_table(std::ostream& out, const Table& table, const char* when_empty) {
  if (table.empty()) {
    out << when_empty << "\n";
  } else {
    out << table.render();
  }
}

}  // namespace

json Commands::request(const std::string& method, const std::string& target, const json& body) {
  auto answer = client_.send(method, target, body.is_null() ? std::string() : body.dump());
  if (!answer) {
    err_ << "kolokol: cannot reach kolokold at " << client_.url().text << ": " << answer.error()
         << " (is it running? is --url right?)\n";
    throw CommandFailed{kExitUnreachable};
  }
  json parsed = json::parse(answer->body, nullptr, false);
  if (answer->status >= 200 && answer->status < 300) {
    if (answer->status == 204) return nullptr;
    if (parsed.is_discarded()) {
      err_ << "kolokol: " << method << " " << target << " answered " << answer->status
           << " with a body that is not JSON\n";
      throw CommandFailed{kExitFailed};
    }
    return parsed;
  }
  std::string reason = parsed.is_object() ? text(parsed, "detail") : "";
  if (reason.empty()) reason = method + " " + target + " failed";
  const std::string title = parsed.is_object() ? text(parsed, "title") : "";
  err_ << "kolokol: " << reason << " (" << answer->status << (title.empty() ? "" : " " + title)
       << ")\n";
  if (answer->status == 401) {
    err_ << "kolokol: the admin token is kolokold's <data_dir>/admin-token; pass it with "
            "--token-file or KOLOKOL_TOKEN\n";
  }
  throw CommandFailed{kExitFailed};
}

void Commands::print_json(const json& answer) {
  if (!answer.is_null()) out_ << answer.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

std::string Commands::tenant_or_default(const std::optional<std::string>& tenant) {
  if (tenant) return *tenant;
  const json answer = request("GET", "/api/v1/tenants");
  for (const auto& each : list(answer, "tenants")) {
    if (text(each, "default") == "yes") return text(each, "name");
  }
  err_ << "kolokol: the daemon has no default tenant; name one with --tenant\n";
  throw CommandFailed{kExitFailed};
}

std::string Commands::extension_path(const std::string& tenant, const std::string& number) const {
  return "/api/v1/extensions/" + percent_encode(tenant) + "/" + percent_encode(number);
}

void Commands::tenants() {
  const json answer = request("GET", "/api/v1/tenants");
  if (json_) return print_json(answer);
  Table table({"NAME", "DEFAULT", "REALM", "DOMAINS"});
  for (const auto& tenant : list(answer, "tenants")) {
    table.add_row({text(tenant, "name"), text(tenant, "default"), text(tenant, "realm"),
                   joined(tenant.value("domains", json::array()))});
  }
  print_table(out_, table, "no tenants");
}

void Commands::extension_list(const std::optional<std::string>& tenant) {
  const json answer =
      request("GET", "/api/v1/extensions" + (tenant ? "?tenant=" + percent_encode(*tenant) : ""));
  if (json_) return print_json(answer);
  Table table({"NUMBER", "NAME", "ENABLED", "CONTACTS"});
  for (const auto& extension : list(answer, "extensions")) {
    table.add_row({text(extension, "number"), text(extension, "name"), text(extension, "enabled"),
                   text(extension, "contacts")});
  }
  print_table(out_, table, ("no extensions in tenant " + text(answer, "tenant")).c_str());
}

void Commands::extension_show(const std::string& number, const std::optional<std::string>& tenant) {
  const json answer = request("GET", extension_path(tenant_or_default(tenant), number));
  if (json_) return print_json(answer);
  for (const char* key : {"tenant", "number", "name", "enabled", "contacts"}) {
    out_ << key << ": " << text(answer, key) << "\n";
  }
}

void Commands::extension_add(const std::string& number, const std::optional<std::string>& name,
                             const std::optional<std::string>& password,
                             const std::optional<std::string>& tenant) {
  json body = {{"number", number}};
  if (name) body["name"] = *name;
  if (password) body["password"] = *password;
  if (tenant) body["tenant"] = *tenant;
  const json answer = request("POST", "/api/v1/extensions", body);
  if (json_) return print_json(answer);
  out_ << "added extension " << text(answer, "number") << " (tenant " << text(answer, "tenant")
       << ")\n";
  if (answer.contains("password")) out_ << "password: " << text(answer, "password") << "\n";
}

void Commands::extension_update(const std::string& number, const std::optional<std::string>& name,
                                std::optional<bool> enabled,
                                const std::optional<std::string>& tenant) {
  json body = json::object();
  if (name) body["name"] = *name;
  if (enabled) body["enabled"] = *enabled;
  const json answer = request("PATCH", extension_path(tenant_or_default(tenant), number), body);
  if (json_) return print_json(answer);
  out_ << "extension " << text(answer, "number") << " (tenant " << text(answer, "tenant")
       << "): name \"" << text(answer, "name") << "\", enabled " << text(answer, "enabled") << "\n";
}

void Commands::extension_remove(const std::string& number,
                                const std::optional<std::string>& tenant) {
  const std::string owner = tenant_or_default(tenant);
  request("DELETE", extension_path(owner, number));
  if (json_) return;  // 204: nothing to show
  out_ << "removed extension " << number << " (tenant " << owner << ")\n";
}

void Commands::extension_passwd(const std::string& number,
                                const std::optional<std::string>& password,
                                const std::optional<std::string>& tenant) {
  json body = json::object();
  if (password) body["password"] = *password;
  const json answer =
      request("POST", extension_path(tenant_or_default(tenant), number) + "/password", body);
  if (json_) return print_json(answer);
  out_ << "new password for extension " << text(answer, "number") << " (tenant "
       << text(answer, "tenant") << ")\n"
       << "password: " << text(answer, "password") << "\n";
}

void Commands::registrations(const std::optional<std::string>& tenant) {
  const json answer = request(
      "GET", "/api/v1/registrations" + (tenant ? "?tenant=" + percent_encode(*tenant) : ""));
  if (json_) return print_json(answer);
  Table table({"TENANT", "NUMBER", "CONTACT", "RECEIVED", "EXPIRES IN", "REACHABLE", "USER AGENT"});
  for (const auto& binding : list(answer, "registrations")) {
    table.add_row({text(binding, "tenant"), text(binding, "number"), text(binding, "contact"),
                   text(binding, "received"), duration_cell(integer(binding, "expires_in")),
                   text(binding, "reachable"), text(binding, "user_agent")});
  }
  print_table(out_, table, "no registrations");
}

void Commands::calls(const std::optional<std::string>& tenant) {
  const json answer =
      request("GET", "/api/v1/calls" + (tenant ? "?tenant=" + percent_encode(*tenant) : ""));
  if (json_) return print_json(answer);
  Table table(
      {"STARTED (UTC)", "TENANT", "CALLER", "CALLEE", "STATE", "DURATION", "FORKS", "CALL ID"});
  for (const auto& call : list(answer, "calls")) {
    const bool answered = !text(call, "answer").empty();
    table.add_row({utc_cell(call, "start"), text(call, "tenant"), text(call, "caller"),
                   text(call, "callee"), text(call, "state"),
                   answered ? duration_cell(integer(call, "duration_s")) : "", text(call, "forks"),
                   text(call, "call_id")});
  }
  print_table(out_, table, "no active calls");
}

void Commands::cdr(const std::optional<std::string>& tenant,
                   const std::optional<std::string>& number, std::optional<int> limit) {
  std::string query;
  auto add = [&](const char* name, const std::string& value) {
    query += (query.empty() ? "?" : "&") + std::string(name) + "=" + percent_encode(value);
  };
  if (tenant) add("tenant", *tenant);
  if (number) add("number", *number);
  if (limit) add("limit", std::to_string(*limit));
  const json answer = request("GET", "/api/v1/cdr" + query);
  if (json_) return print_json(answer);
  Table table({"START (UTC)", "TENANT", "CALLER", "CALLEE", "DISPOSITION", "STATUS", "DURATION",
               "ENDED BY", "REASON"});
  for (const auto& record : list(answer, "records")) {
    table.add_row({utc_cell(record, "start"), text(record, "tenant"), text(record, "caller"),
                   text(record, "callee"), text(record, "disposition"), text(record, "sip_status"),
                   duration_cell(integer(record, "duration_ms") / 1000), text(record, "ended_by"),
                   text(record, "end_reason")});
  }
  print_table(out_, table, "no call records");
}

}  // namespace kolokol::cli
