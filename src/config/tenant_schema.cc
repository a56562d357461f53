#include "config/tenant_schema.h"

#include <algorithm>
#include <functional>
#include <set>

#include <yaml-cpp/yaml.h>

#include "config/diagnostics.h"
#include "config/suggest.h"
#include "config/value_parsers.h"

namespace kolokol::config {
namespace {

// Names and passwords are shown in logs and, for names, in SIP From headers.
constexpr std::size_t kMaxDisplayName = 100;

std::string describe(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  return "nothing";
}

template <typename Parse, typename T>
void read_scalar(const YAML::Node& value, const std::string& key, const std::string& what,
                 Parse parse, T& out, Diagnostics& diagnostics) {
  auto text = diagnostics.scalar(value, key, what);
  if (!text) return;
  auto parsed = parse(*text);
  if (!parsed) return diagnostics.invalid(value, key, parsed.error());
  out = std::move(*parsed);
}

// A list-valued key; "extensions:" with nothing under it is an empty list, as the section maps
// treat "log:" with nothing under it.
bool is_list(const YAML::Node& node, const std::string& key, const std::string& what,
             Diagnostics& diagnostics) {
  if (node.IsNull()) return false;
  if (node.IsSequence()) return true;
  diagnostics.invalid(node, key, "expected a list of " + what + ", got " + describe(node));
  return false;
}

using ReadKey = std::function<void(const std::string& name, const std::string& sub_key,
                                   const YAML::Node& value)>;

// Walks one map entry of a list: duplicate, non-scalar and unknown keys are reported the way the
// top-level walker reports them; `read` gets every known key. Returns the names present.
std::set<std::string> read_map(const YAML::Node& item, const std::string& key,
                               const std::vector<std::string>& known, Diagnostics& diagnostics,
                               const ReadKey& read) {
  std::set<std::string> seen;
  for (const auto& entry : item) {
    if (!entry.first.IsScalar()) {
      diagnostics.invalid(entry.first, key, "keys must be plain names");
      continue;
    }
    const std::string name = entry.first.Scalar();
    const std::string sub_key = key + "." + name;
    if (!seen.insert(name).second) {
      diagnostics.invalid(entry.first, sub_key, "duplicate key");
      continue;
    }
    diagnostics.remember(sub_key, entry.first);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      // Compared on the last component: the long "tenants[0].extensions[1]." prefix would
      // otherwise make any short word look close to some key.
      const std::string closest = closest_key(name, known);
      diagnostics.unknown(entry.first, sub_key, closest.empty() ? "" : key + "." + closest);
      continue;
    }
    read(name, sub_key, entry.second);
  }
  return seen;
}

void read_domains(const YAML::Node& node, const std::string& key, std::vector<std::string>& out,
                  Diagnostics& diagnostics) {
  out.clear();
  if (!is_list(node, key, "domain names", diagnostics)) return;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    diagnostics.remember(item_key, node[i]);
    std::string host;
    read_scalar(node[i], item_key, "a domain name", parse_host, host, diagnostics);
    if (!host.empty()) out.push_back(std::move(host));
  }
}

void read_extension(const YAML::Node& item, const std::string& key, ExtensionDecl& extension,
                    Diagnostics& diagnostics) {
  if (!item.IsMap()) {
    return diagnostics.invalid(
        item, key, "expected a map with number, name and password, got " + describe(item));
  }
  const auto seen =
      read_map(item, key, extension_keys(), diagnostics,
               [&](const std::string& name, const std::string& sub_key, const YAML::Node& value) {
                 if (name == "number") {
                   read_scalar(value, sub_key, "an extension number", parse_extension_number,
                               extension.number, diagnostics);
                 } else if (name == "name") {
                   read_scalar(
                       value, sub_key, "a display name",
                       [](const std::string& text) { return parse_text(text, kMaxDisplayName); },
                       extension.name, diagnostics);
                 } else {
                   read_scalar(value, sub_key, "a password", parse_sip_password, extension.password,
                               diagnostics);
                 }
               });
  if (!seen.count("number")) {
    diagnostics.invalid(item, key + ".number", "missing (every extension needs a number)");
  }
}

void read_extensions(const YAML::Node& node, const std::string& key,
                     std::vector<ExtensionDecl>& out, Diagnostics& diagnostics) {
  out.clear();
  if (!is_list(node, key, "{number, name, password}", diagnostics)) return;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    diagnostics.remember(item_key, node[i]);
    ExtensionDecl extension;
    read_extension(node[i], item_key, extension, diagnostics);
    out.push_back(std::move(extension));
  }
}

void read_tenant(const YAML::Node& item, const std::string& key, TenantDecl& tenant,
                 Diagnostics& diagnostics) {
  if (!item.IsMap()) {
    return diagnostics.invalid(
        item, key, "expected a map with name, domains and extensions, got " + describe(item));
  }
  const auto seen = read_map(
      item, key, tenant_keys(), diagnostics,
      [&](const std::string& name, const std::string& sub_key, const YAML::Node& value) {
        if (name == "name") {
          read_scalar(value, sub_key, "a tenant name", parse_tenant_name, tenant.name, diagnostics);
        } else if (name == "domains") {
          read_domains(value, sub_key, tenant.domains, diagnostics);
        } else {
          read_extensions(value, sub_key, tenant.extensions, diagnostics);
        }
      });
  if (!seen.count("name")) {
    diagnostics.invalid(item, key + ".name", "missing (every tenant needs a name)");
  }
}

}  // namespace

std::vector<std::string> tenant_keys() {
  return {"name", "domains", "extensions"};
}

std::vector<std::string> extension_keys() {
  return {"number", "name", "password"};
}

void apply_tenants(const YAML::Node& node, const std::string& key, Config& config,
                   Diagnostics& diagnostics) {
  config.tenants.clear();
  if (!is_list(node, key, "tenants {name, domains, extensions}", diagnostics)) return;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    diagnostics.remember(item_key, node[i]);
    TenantDecl tenant;
    read_tenant(node[i], item_key, tenant, diagnostics);
    config.tenants.push_back(std::move(tenant));
  }
}

}  // namespace kolokol::config
