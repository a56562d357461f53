#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/expected.h"

namespace kolokol::rtpload {

struct Account {
  std::string user;
  std::string password;
};

struct LoadOptions {
  std::string proxy = "127.0.0.1:5060";
  std::string domain = "pbx.test";
  std::vector<Account> callers;
  std::vector<Account> callees;
  std::size_t calls = 20;
  double rate = 200;       // new calls per second
  double duration_s = 10;  // media once every call is up
  unsigned threads = 2;    // media threads
  std::uint16_t port_base = 30000;
  int socket_buffer_bytes = 1 << 20;
  double setup_timeout_s = 40;  // after the last INVITE, for the slowest answer
  bool json_only = false;
};

// "1001:secret" or a range "2000-2099:pw-{n}" ({n} is replaced by each number; a password
// without it is shared by the range).
base::Expected<std::vector<Account>, std::string> parse_accounts(const std::string& spec);

// Exits the process on --help or a bad command line, like CLI11 does.
LoadOptions parse_command_line(int argc, char** argv);

}  // namespace kolokol::rtpload
