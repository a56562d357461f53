#include "kolokol_cli/token.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kolokol::cli {
namespace {

constexpr const char* kDefaultFile = "./var/admin-token";

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

base::Expected<std::string, std::string> admin_token(const std::optional<std::string>& file,
                                                     const char* environment_value) {
  if (!file && environment_value && *environment_value) {
    const std::string token = trimmed(environment_value);
    if (token.empty()) return base::unexpected(std::string("KOLOKOL_TOKEN is blank"));
    return token;
  }
  const std::string path = file ? *file : kDefaultFile;
  std::ifstream in(path);
  if (!in) {
    return base::unexpected("cannot read the admin token from " + path + ": " +
                            std::strerror(errno) +
                            (file ? ""
                                  : " (kolokold writes it to <data_dir>/admin-token; pass "
                                    "--token-file or set KOLOKOL_TOKEN)"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string token = trimmed(text.str());
  if (token.empty()) return base::unexpected("the admin token file " + path + " is empty");
  return token;
}

}  // namespace kolokol::cli
