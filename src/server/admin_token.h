#pragma once

#include <string>

#include "base/expected.h"

namespace kolokol::server {

// The bearer token of the admin API (docs/api.md), kept in <data_dir>/admin-token so that
// `kolokol` on the same host, run by the same user, can read it.
struct AdminToken {
  std::string value;
  std::string path;
  bool created = false;             // made at this start
  bool readable_by_others = false;  // the file's mode lets group or others read it
};

// Reads <data_dir>/admin-token (surrounding white space ignored), or creates it with 32 random
// letters and digits, mode 0600. A token of fewer than 16 or more than 256 characters, or with
// anything but printable ASCII, is an error naming the file: such a token is mistyped or weak.
base::Expected<AdminToken, std::string> load_or_create_admin_token(const std::string& data_dir);

}  // namespace kolokol::server
