#include "server/pbx_store.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/steady_timer.hpp>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "sip/auth/digest_algorithm.h"
#include "storage/sqlite/sqlite_database.h"

namespace kolokol::server {
namespace {

constexpr const char* kDemoTenant = "default";
constexpr int kDemoFirst = 1001;
constexpr int kDemoLast = 1005;

std::string database_path(const config::Config& config) {
  const std::string& url = config.database.url;
  if (url.rfind("sqlite:", 0) == 0) return url.substr(7);
  return (std::filesystem::path(config.data_dir) / "kolokol.db").string();
}

std::string error_text(const storage::StorageError& error) {
  return error.message;
}

// Writes the passwords made up at this start, readable by the owner only.
std::optional<std::string> write_credentials(const std::string& data_dir,
                                             const std::vector<IssuedPassword>& issued) {
  const std::string path = (std::filesystem::path(data_dir) / "credentials.txt").string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot write " + path + ": " + std::strerror(errno);
  ::fchmod(fd, 0600);  // an existing file keeps its old mode through O_CREAT
  std::string text =
      "# SIP credentials made up by kolokold; change them with `kolokol extension passwd`.\n"
      "# tenant extension password\n";
  for (const auto& entry : issued) {
    text += entry.tenant + " " + entry.number + " " + entry.password + "\n";
  }
  const ssize_t written = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size())) return "short write to " + path;
  return std::nullopt;
}

}  // namespace

std::string random_password(std::size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";  // no 0/O, 1/l/I
  constexpr std::size_t kSize = sizeof(kAlphabet) - 1;
  std::string out;
  while (out.size() < length) {
    unsigned char byte = 0;
    if (RAND_bytes(&byte, 1) != 1) throw std::runtime_error("RAND_bytes failed");
    if (byte >= 256 - (256 % kSize)) continue;  // no modulo bias
    out.push_back(kAlphabet[byte % kSize]);
  }
  return out;
}

void set_password(storage::Extension& extension, const std::string& realm,
                  const std::string& password) {
  extension.ha1_md5 =
      sip::compute_ha1(sip::DigestAlgorithm::Md5, extension.number, realm, password);
  extension.ha1_sha256 =
      sip::compute_ha1(sip::DigestAlgorithm::Sha256, extension.number, realm, password);
}

PbxStore::PbxStore(std::unique_ptr<storage::Database> database, std::string data_dir,
                   base::Logger log)
    : database_(std::move(database)), data_dir_(std::move(data_dir)), log_(std::move(log)) {}

PbxStore::~PbxStore() {
  stop();
}

base::Expected<std::unique_ptr<PbxStore>, std::string> PbxStore::open(const config::Config& config,
                                                                      base::Logger log) {
  const std::string path = database_path(config);
  auto database = storage::open_sqlite(path);
  if (!database) return base::unexpected("database " + path + ": " + database.error());
  log.info("database {} (schema version {})", path, (*database)->schema_version());
  return std::unique_ptr<PbxStore>(
      new PbxStore(std::move(*database), config.data_dir, std::move(log)));
}

base::Expected<std::vector<IssuedPassword>, std::string> PbxStore::bootstrap(
    const config::Config& config, const std::string& realm) {
  std::vector<IssuedPassword> issued;
  std::string failure;
  storage::Database& db = *database_;
  auto fail = [&failure](std::string what, const storage::StorageError& error) {
    failure = std::move(what) + ": " + error_text(error);
    return false;
  };
  auto done = db.transaction([&]() -> bool {
    auto tenants = db.tenants().list();
    if (!tenants) return fail("listing tenants", tenants.error());
    std::map<std::string, storage::Tenant> by_name;
    for (auto& tenant : *tenants) by_name.emplace(tenant.name, tenant);
    const bool first_start = by_name.empty();

    auto ensure_tenant = [&](const std::string& name,
                             const std::vector<std::string>& domains) -> storage::Tenant* {
      auto found = by_name.find(name);
      if (found == by_name.end()) {
        storage::Tenant tenant;
        tenant.name = name;
        tenant.domains = domains;
        tenant.realm = domains.empty() ? realm : domains.front();
        tenant.is_default = by_name.empty();  // the first tenant answers for our addresses
        auto created = db.tenants().create(tenant);
        if (!created) {
          fail("creating tenant " + name, created.error());
          return nullptr;
        }
        log_.info("tenant {} created (realm {})", name, created->realm);
        return &by_name.emplace(name, *created).first->second;
      }
      if (!domains.empty() && found->second.domains != domains) {
        found->second.domains = domains;
        auto updated = db.tenants().update(found->second);
        if (!updated) {
          fail("updating tenant " + name, updated.error());
          return nullptr;
        }
      }
      return &found->second;
    };

    // Extensions of each tenant by number, read once per tenant (a file may declare thousands).
    std::map<storage::RowId, std::map<std::string, storage::Extension>> known;
    auto extensions_of =
        [&](const storage::Tenant& tenant) -> std::map<std::string, storage::Extension>* {
      auto found = known.find(tenant.id);
      if (found != known.end()) return &found->second;
      auto listed = db.extensions().list(tenant.id);
      if (!listed) {
        fail("listing extensions", listed.error());
        return nullptr;
      }
      auto& by_number = known[tenant.id];
      for (auto& extension : *listed) by_number.emplace(extension.number, std::move(extension));
      return &by_number;
    };

    auto ensure_extension = [&](const storage::Tenant& tenant, const std::string& number,
                                const std::string& name, const std::string& password) -> bool {
      auto* existing = extensions_of(tenant);
      if (!existing) return false;
      if (auto found = existing->find(number); found != existing->end()) {
        storage::Extension& extension = found->second;
        if (name.empty() && password.empty()) return true;
        if (!name.empty()) extension.display_name = name;
        if (!password.empty()) set_password(extension, tenant.realm, password);
        auto updated = db.extensions().update(extension);
        return updated ? true : fail("updating extension " + number, updated.error());
      }
      storage::Extension extension;
      extension.tenant_id = tenant.id;
      extension.number = number;
      extension.display_name = name;
      const std::string secret = password.empty() ? random_password() : password;
      set_password(extension, tenant.realm, secret);
      auto created = db.extensions().create(extension);
      if (!created) return fail("creating extension " + number, created.error());
      existing->emplace(number, *created);
      if (password.empty()) issued.push_back({tenant.name, number, secret});
      return true;
    };

    for (const auto& declared : config.tenants) {
      storage::Tenant* tenant = ensure_tenant(declared.name, declared.domains);
      if (!tenant) return false;
      for (const auto& extension : declared.extensions) {
        if (!ensure_extension(*tenant, extension.number, extension.name, extension.password)) {
          return false;
        }
      }
    }
    if (first_start && config.demo_tenant && config.tenants.empty()) {
      storage::Tenant* tenant = ensure_tenant(kDemoTenant, config.sip.domains);
      if (!tenant) return false;
      for (int number = kDemoFirst; number <= kDemoLast; ++number) {
        if (!ensure_extension(*tenant, std::to_string(number),
                              "Extension " + std::to_string(number), "")) {
          return false;
        }
      }
      log_.info("demo tenant {} created with extensions {}-{}", kDemoTenant, kDemoFirst, kDemoLast);
    }
    return true;
  });
  if (!failure.empty()) return base::unexpected(failure);
  if (!done) return base::unexpected("bootstrap: " + error_text(done.error()));
  if (!issued.empty()) {
    if (auto error = write_credentials(data_dir_, issued)) return base::unexpected(*error);
    for (const auto& entry : issued) {
      log_.info("tenant {} extension {} password {} (also in {}/credentials.txt)", entry.tenant,
                entry.number, entry.password, data_dir_);
    }
  }
  return issued;
}

base::Expected<PbxSnapshot, std::string> PbxStore::load() {
  PbxSnapshot snapshot;
  auto tenants = database_->tenants().list();
  if (!tenants) return base::unexpected("loading tenants: " + error_text(tenants.error()));
  auto extensions = database_->extensions().list_all();
  if (!extensions) return base::unexpected("loading extensions: " + error_text(extensions.error()));
  auto bindings = database_->registrations().load_all();
  if (!bindings) return base::unexpected("loading registrations: " + error_text(bindings.error()));
  snapshot.tenants = std::move(*tenants);
  snapshot.extensions = std::move(*extensions);
  snapshot.bindings = std::move(*bindings);
  return snapshot;
}

void PbxStore::start() {
  if (!loop_.running()) loop_.start();
}

void PbxStore::stop() {
  if (loop_.running()) loop_.stop();
}

void PbxStore::post(std::function<void(storage::Database&)> job) {
  loop_.post([this, job = std::move(job)] { job(*database_); });
}

void PbxStore::post_after(std::chrono::milliseconds delay,
                          std::function<void(storage::Database&)> job) {
  auto timer = std::make_shared<boost::asio::steady_timer>(loop_.context(), delay);
  timer->async_wait([this, timer, job = std::move(job)](const boost::system::error_code& error) {
    if (!error) job(*database_);
  });
}

}  // namespace kolokol::server
