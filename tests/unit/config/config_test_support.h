#pragma once

#include <gtest/gtest.h>

#include <string>

#include "config/loader.h"

namespace kolokol::config::testing {

inline const DefaultsContext kV4Only{false, "1.2.3"};

inline base::Expected<Config, ConfigErrors> parse(const std::string& yaml) {
  return parse_config(yaml, "test.yaml", {}, kV4Only);
}

// The one error a load must produce, as the operator would read it.
inline std::string only_error(const std::string& yaml) {
  auto result = parse(yaml);
  if (result.has_value()) return "(loaded fine)";
  EXPECT_EQ(result.error().size(), 1u) << format_errors(result.error());
  return result.error().front().to_string();
}

// Every error of a load, one per line ("" when it loaded).
inline std::string all_errors(const std::string& yaml) {
  auto result = parse(yaml);
  return result.has_value() ? std::string() : format_errors(result.error());
}

}  // namespace kolokol::config::testing
