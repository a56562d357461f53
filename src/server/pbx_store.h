#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/expected.h"
#include "base/log.h"
#include "config/config.h"
#include "runtime/event_loop.h"
#include "storage/repositories.h"

namespace kolokol::server {

// What the PBX starts with.
struct PbxSnapshot {
  std::vector<storage::Tenant> tenants;
  std::vector<storage::Extension> extensions;
  std::vector<storage::ContactBinding> bindings;
};

// A password made at first start or by `kolokol extension add/passwd`, shown once.
struct IssuedPassword {
  std::string tenant;
  std::string number;
  std::string password;
};

// The daemon's database and the one thread that uses it. Start-up (open, bootstrap, load) runs
// on the control thread before that thread starts; afterwards every database call is a job
// posted to it, so no SIP or HTTP thread ever waits on disk.
class PbxStore {
 public:
  // Opens (creating and migrating) the database config.database.url names, default
  // <data_dir>/kolokol.db.
  static base::Expected<std::unique_ptr<PbxStore>, std::string> open(const config::Config& config,
                                                                     base::Logger log);
  ~PbxStore();  // stops

  // Configuration as code (config.tenants) and, on the very first start, the demo tenant with
  // extensions 1001-1005. Passwords made up here are written to <data_dir>/credentials.txt
  // (mode 0600) and logged. `realm` is the digest realm of tenants created without a domain.
  base::Expected<std::vector<IssuedPassword>, std::string> bootstrap(const config::Config& config,
                                                                     const std::string& realm);
  base::Expected<PbxSnapshot, std::string> load();

  void start();
  // Runs the jobs already posted, then joins the thread.
  void stop();
  // Runs `job` on the database thread, in order.
  void post(std::function<void(storage::Database&)> job);
  // Runs `job` on the database thread after `delay`; dropped if the store stops first (callers
  // with data at stake flush with post() before stop()).
  void post_after(std::chrono::milliseconds delay, std::function<void(storage::Database&)> job);

  storage::Database& database_for_startup() { return *database_; }

 private:
  PbxStore(std::unique_ptr<storage::Database> database, std::string data_dir, base::Logger log);

  std::unique_ptr<storage::Database> database_;
  std::string data_dir_;
  base::Logger log_;
  runtime::EventLoop loop_{"db"};
};

// A random password of `length` letters and digits (OpenSSL's CSPRNG).
std::string random_password(std::size_t length = 16);
// HA1 for MD5 and SHA-256 of number in realm.
void set_password(storage::Extension& extension, const std::string& realm,
                  const std::string& password);

}  // namespace kolokol::server
