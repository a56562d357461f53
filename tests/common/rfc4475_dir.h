#pragma once

#include <cstdlib>
#include <filesystem>

namespace kolokol::testing {

// The RFC 4475 torture messages live beside the repository, in
// <repo>/../shared/conformance/rfc4475 (the same place the conformance test reads);
// KOLOKOL_RFC4475_DIR overrides it.
inline std::filesystem::path rfc4475_dir() {
  if (const char* dir = std::getenv("KOLOKOL_RFC4475_DIR")) return dir;
  const std::filesystem::path repo =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  return repo.parent_path() / "shared" / "conformance" / "rfc4475";
}

}  // namespace kolokol::testing
