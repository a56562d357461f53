#include "config/reference.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/schema.h"

namespace kolokol::config {
namespace {

// The repository root, found from this file's own path (tests/unit/config/reference_test.cc).
std::filesystem::path repository_root() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
}

TEST(Reference, DocsAreUpToDate) {
  const auto path = repository_root() / "docs" / "configuration.md";
  std::ifstream file(path);
  ASSERT_TRUE(file) << "cannot open " << path;
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_EQ(text.str(), render_reference_markdown())
      << path << " is stale: regenerate it with "
      << "`kolokold --print-config-reference > docs/configuration.md`";
}

TEST(Reference, EveryKeyIsDocumented) {
  const std::string reference = render_reference_markdown();
  for (const auto& spec : config_schema()) {
    EXPECT_NE(reference.find("### `" + spec.path + "`"), std::string::npos) << spec.path;
    EXPECT_FALSE(spec.help.empty()) << spec.path;
    EXPECT_FALSE(spec.type.empty()) << spec.path;
  }
}

TEST(Reference, EverySectionHoldsKeys) {
  const auto schema = config_schema();
  for (const auto& section : config_sections()) {
    const bool used = std::any_of(schema.begin(), schema.end(), [&](const KeySpec& spec) {
      return spec.path.rfind(section + ".", 0) == 0;
    });
    EXPECT_TRUE(used) << section;
  }
}

}  // namespace
}  // namespace kolokol::config
