#include "config/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/cross_checks.h"
#include "config/diagnostics.h"
#include "config/schema.h"
#include "config/suggest.h"
#include "config/value_parsers.h"

namespace kolokol::config {
namespace {

// Refusing anything huge keeps a wrong path (a log, a database, a disk image) from being slurped
// into memory; real configurations stay far below: a tenant declared as code with 100,000
// extensions is about 6 MiB of YAML.
constexpr std::size_t kMaxFileBytes = std::size_t{64} << 20;

class Walker {
 public:
  Walker(Config& config, Diagnostics& diagnostics)
      : config_(config), diagnostics_(diagnostics), schema_(config_schema()) {
    for (const auto& spec : schema_) known_.push_back(spec.path);
    for (const auto& section : config_sections()) known_.push_back(section);
  }

  void walk(const YAML::Node& map, const std::string& prefix) {
    if (!map.IsMap()) {
      const std::string what = prefix.empty() ? "the file" : "'" + prefix + "'";
      return diagnostics_.invalid(map, prefix.empty() ? "(top level)" : prefix,
                                  "expected " + what + " to be a map of keys");
    }
    std::set<std::string> seen;
    for (const auto& entry : map) {
      if (!entry.first.IsScalar()) {
        diagnostics_.invalid(entry.first, prefix, "keys must be plain names");
        continue;
      }
      const std::string name = entry.first.Scalar();
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      if (!seen.insert(name).second) {
        diagnostics_.invalid(entry.first, key, "duplicate key");
        continue;
      }
      diagnostics_.remember(key, entry.first);
      visit(key, entry.first, entry.second);
    }
  }

 private:
  void visit(const std::string& key, const YAML::Node& key_node, const YAML::Node& value) {
    for (const auto& spec : schema_) {
      if (spec.path == key) return spec.apply(value, key, config_, diagnostics_);
    }
    const auto sections = config_sections();
    if (std::find(sections.begin(), sections.end(), key) != sections.end()) {
      if (value.IsNull()) return;  // "log:" with nothing under it keeps the defaults
      return walk(value, key);
    }
    diagnostics_.unknown(key_node, key, closest_key(key, known_));
  }

  Config& config_;
  Diagnostics& diagnostics_;
  std::vector<KeySpec> schema_;
  std::vector<std::string> known_;
};

void apply_overrides(const Overrides& overrides, Config& config, ConfigErrors& errors) {
  if (overrides.data_dir) {
    if (overrides.data_dir->empty()) {
      errors.push_back(
          {ConfigError::Kind::InvalidValue, "data_dir", "--data-dir", 0, "must not be empty", {}});
    } else {
      config.data_dir = *overrides.data_dir;
    }
  }
  if (overrides.log_level) {
    static constexpr const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
    if (std::find(std::begin(kLevels), std::end(kLevels), *overrides.log_level) ==
        std::end(kLevels)) {
      errors.push_back({ConfigError::Kind::InvalidValue,
                        "log.level",
                        "--log-level",
                        0,
                        "expected one of trace, debug, info, warn, error, off; got '" +
                            *overrides.log_level + "'",
                        {}});
    } else {
      config.log.level = *overrides.log_level;
    }
  }
}

}  // namespace

base::Expected<Config, ConfigErrors> parse_config(std::string_view yaml, const std::string& source,
                                                  const Overrides& overrides,
                                                  const DefaultsContext& defaults) {
  Config config = default_config(defaults);
  Diagnostics diagnostics(source);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return base::unexpected(ConfigErrors{{ConfigError::Kind::Syntax,
                                          {},
                                          source,
                                          e.mark.line >= 0 ? e.mark.line + 1 : 0,
                                          e.msg,
                                          {}}});
  }
  try {
    // An empty file (or one holding only comments) is a valid "all defaults" file.
    if (!root.IsNull()) Walker(config, diagnostics).walk(root, "");
    if (diagnostics.empty()) check_across_keys(config, diagnostics);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on some malformed trees (e.g. aliases to nothing); report, never crash.
    diagnostics.invalid_at_line(e.mark.line >= 0 ? e.mark.line + 1 : 0, "(file)", e.msg);
  }
  ConfigErrors errors = diagnostics.take();
  apply_overrides(overrides, config, errors);
  if (!errors.empty()) return base::unexpected(std::move(errors));
  return config;
}

base::Expected<Config, ConfigErrors> load_config(const std::optional<std::string>& file,
                                                 const Overrides& overrides,
                                                 const DefaultsContext& defaults) {
  if (!file) return parse_config("", "(defaults)", overrides, defaults);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(*file, ec)) {
    return base::unexpected(ConfigErrors{
        {ConfigError::Kind::Unreadable, {}, *file, 0, "no such file (or not a regular file)", {}}});
  }
  std::ifstream in(*file, std::ios::binary);
  if (!in) {
    return base::unexpected(
        ConfigErrors{{ConfigError::Kind::Unreadable, {}, *file, 0, "not readable", {}}});
  }
  const std::uintmax_t size = std::filesystem::file_size(*file, ec);
  if (ec || size > kMaxFileBytes) {
    return base::unexpected(ConfigErrors{{ConfigError::Kind::Unreadable, {}, *file, 0,
                                          "larger than 64 MiB: not a config file", {}}});
  }
  // Read to the end whatever the size said (a file may grow between the two calls), bounded.
  std::string text(static_cast<std::size_t>(size) + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > size) {
    return base::unexpected(ConfigErrors{
        {ConfigError::Kind::Unreadable, {}, *file, 0, "changed while being read", {}}});
  }
  return parse_config(text, *file, overrides, defaults);
}

std::string format_errors(const ConfigErrors& errors) {
  std::string out;
  for (const auto& error : errors) out += error.to_string() + "\n";
  return out;
}

}  // namespace kolokol::config
