#include "server/admin_api.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include "api/http/bearer_auth.h"
#include "api/http/json_body.h"
#include "api/http/query.h"
#include "config/value_parsers.h"
#include "server/admin_views.h"
#include "server/pbx_store.h"
#include "server/sip_stack.h"

namespace kolokol::server {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDisplayName = 100;  // as for extensions declared in the YAML file
constexpr std::size_t kMaxNumberFilter = 64;
constexpr std::int64_t kDefaultCdrLimit = 50;
constexpr std::int64_t kMaxCdrLimit = 1000;

// Runs `job` on the database thread and waits for its result. An exception the job throws (a
// ProblemError: 404, 409 ...) is rethrown here, on the HTTP thread, where the router turns it
// into the answer. Waiting is safe: the daemon stops the HTTP server before the database thread.
template <typename Job>
auto on_database(PbxStore& store, Job job) {
  using Result = decltype(job(std::declval<storage::Database&>()));
  auto promise = std::make_shared<std::promise<Result>>();
  auto future = promise->get_future();
  store.post([promise, &job](storage::Database& db) {
    try {
      promise->set_value(job(db));
    } catch (...) {
      promise->set_exception(std::current_exception());
    }
  });
  return future.get();
}

// Runs `task` with the PBX on the SIP thread and returns its result; an exception comes back
// here instead of unwinding the SIP thread.
template <typename Task>
auto on_sip(SipStack& sip, Task task) {
  using Result = decltype(task(std::declval<pbx::PbxCore&>()));
  std::exception_ptr failure;
  std::optional<Result> result = sip.with_pbx([&](pbx::PbxCore& core) -> std::optional<Result> {
    try {
      return task(core);
    } catch (...) {
      failure = std::current_exception();
      return std::nullopt;
    }
  });
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

[[noreturn]] void fail(const std::string& what, const storage::StorageError& error) {
  using Kind = storage::StorageError::Kind;
  const int status = error.kind == Kind::Conflict   ? 409
                     : error.kind == Kind::NotFound ? 404
                     : error.kind == Kind::Invalid  ? 422
                                                    : 500;
  throw http::ProblemError(status, what + ": " + error.message);
}

// Extension numbers in dialling order: shorter first, then by digits.
bool number_less(const std::string& a, const std::string& b) {
  return std::make_tuple(a.size(), std::cref(a)) < std::make_tuple(b.size(), std::cref(b));
}

// ---- database-thread lookups -------------------------------------------------------------------

std::vector<storage::Tenant> all_tenants(storage::Database& db) {
  auto tenants = db.tenants().list();
  if (!tenants) fail("listing tenants", tenants.error());
  return std::move(*tenants);
}

// The tenant called `name`, or the default tenant when no name is given; 404 when there is none.
storage::Tenant find_tenant(storage::Database& db, const std::optional<std::string>& name) {
  for (auto& tenant : all_tenants(db)) {
    if (name ? tenant.name == *name : tenant.is_default) return std::move(tenant);
  }
  throw http::ProblemError(
      404, name ? "no tenant " + *name : std::string("there is no default tenant"), "tenant");
}

storage::Extension find_extension(storage::Database& db, const storage::Tenant& tenant,
                                  const std::string& number) {
  auto extensions = db.extensions().list(tenant.id);
  if (!extensions) fail("listing extensions of " + tenant.name, extensions.error());
  for (auto& extension : *extensions) {
    if (extension.number == number) return std::move(extension);
  }
  throw http::ProblemError(404, "no extension " + number + " in tenant " + tenant.name, "number");
}

// A route that takes no query parameters says so: a stray one is probably a mistake.
void expect_no_query(const http::Request& request) {
  const http::QueryParams none(request, {});
}

// ---- the routes --------------------------------------------------------------------------------

class AdminApi {
 public:
  explicit AdminApi(AdminContext context) : context_(std::move(context)) {}

  http::Response tenants(const http::Request& request) {
    expect_no_query(request);
    const auto tenants = on_database(context_.store, all_tenants);
    json list = json::array();
    for (const auto& tenant : tenants) list.push_back(tenant_view(tenant));
    return http::json_response({{"tenants", std::move(list)}});
  }

  http::Response extensions(const http::Request& request) {
    const http::QueryParams query(request, {"tenant"});
    const auto tenant_name = query.get("tenant");
    auto [tenant, extensions] = on_database(context_.store, [&](storage::Database& db) {
      storage::Tenant tenant = find_tenant(db, tenant_name);
      auto extensions = db.extensions().list(tenant.id);
      if (!extensions) fail("listing extensions of " + tenant.name, extensions.error());
      return std::make_pair(std::move(tenant), std::move(*extensions));
    });
    std::sort(extensions.begin(), extensions.end(),
              [](const auto& a, const auto& b) { return number_less(a.number, b.number); });
    const auto contacts = contact_counts(extensions);
    json list = json::array();
    for (std::size_t i = 0; i < extensions.size(); ++i) {
      json view = extension_view(extensions[i], tenant.name);
      view["contacts"] = contacts[i];
      list.push_back(std::move(view));
    }
    return http::json_response({{"tenant", tenant.name}, {"extensions", std::move(list)}});
  }

  http::Response extension(const http::Request& request) {
    expect_no_query(request);
    auto [tenant, extension] = lookup(request);
    return http::json_response(shown(extension, tenant.name));
  }

  http::Response add_extension(const http::Request& request) {
    const json body = http::read_json_object(request, {"tenant", "number", "name", "password"});
    const std::optional<std::string> tenant_name = http::optional_string(body, "tenant");
    if (tenant_name) http::valid_field("tenant", config::parse_tenant_name(*tenant_name));
    const std::string number = http::valid_field(
        "number", config::parse_extension_number(http::required_string(body, "number")));
    const std::string name = http::valid_field(
        "name",
        config::parse_text(http::optional_string(body, "name").value_or(""), kMaxDisplayName));
    const auto given = http::optional_string(body, "password");
    const std::string password =
        given ? http::valid_field("password", config::parse_sip_password(*given))
              : random_password();

    auto [tenant, created] = on_database(context_.store, [&](storage::Database& db) {
      storage::Tenant tenant = find_tenant(db, tenant_name);
      storage::Extension extension;
      extension.tenant_id = tenant.id;
      extension.number = number;
      extension.display_name = name;
      set_password(extension, tenant.realm, password);
      auto created = db.extensions().create(extension);
      if (!created) {
        if (created.error().kind == storage::StorageError::Kind::Conflict) {
          throw http::ProblemError(
              409, "extension " + number + " already exists in tenant " + tenant.name, "number");
        }
        fail("adding extension " + number, created.error());
      }
      return std::make_pair(std::move(tenant), std::move(*created));
    });
    on_sip(context_.sip, [&created = created](pbx::PbxCore& core) {
      core.directory().upsert_extension(created);
      return true;
    });
    context_.log.info("admin API: extension {} added to tenant {}", number, tenant.name);
    json view = extension_view(created, tenant.name);
    view["contacts"] = 0;
    if (!given) view["password"] = password;  // made up here: the only time anyone sees it
    http::Response response = http::json_response(view, 201);
    response.headers.emplace_back("Location", "/api/v1/extensions/" + tenant.name + "/" + number);
    return response;
  }

  http::Response change_extension(const http::Request& request) {
    const json body = http::read_json_object(request, {"name", "enabled"});
    std::optional<std::string> name;
    if (auto given = http::optional_string(body, "name")) {
      name = http::valid_field("name", config::parse_text(*given, kMaxDisplayName));
    }
    const std::optional<bool> enabled = http::optional_bool(body, "enabled");
    auto [tenant, extension] = lookup(
        request, [&](storage::Database& db, const storage::Tenant&, storage::Extension& found) {
          if (!name && !enabled) return;  // nothing to change: an empty merge patch
          if (name) found.display_name = *name;
          if (enabled) found.enabled = *enabled;
          auto updated = db.extensions().update(found);
          if (!updated) fail("changing extension " + found.number, updated.error());
          found = std::move(*updated);
        });
    if (name || enabled) {
      on_sip(context_.sip, [&extension = extension](pbx::PbxCore& core) {
        core.directory().upsert_extension(extension);
        return true;
      });
      context_.log.info("admin API: extension {} of tenant {} changed", extension.number,
                        tenant.name);
    }
    return http::json_response(shown(extension, tenant.name));
  }

  http::Response remove_extension(const http::Request& request) {
    expect_no_query(request);
    auto [tenant, extension] = lookup(
        request, [](storage::Database& db, const storage::Tenant&, storage::Extension& found) {
          if (auto removed = db.extensions().remove(found.id); !removed) {
            fail("removing extension " + found.number, removed.error());
          }
        });
    on_sip(context_.sip, [id = extension.id](pbx::PbxCore& core) {
      core.extension_removed(id);
      return true;
    });
    context_.log.info("admin API: extension {} removed from tenant {}", extension.number,
                      tenant.name);
    http::Response response;
    response.status = 204;
    response.content_type.clear();
    return response;
  }

  http::Response new_password(const http::Request& request) {
    const json body = http::read_json_object(request, {"password"});
    const auto given = http::optional_string(body, "password");
    const std::string password =
        given ? http::valid_field("password", config::parse_sip_password(*given))
              : random_password();
    auto [tenant, extension] =
        lookup(request,
               [&](storage::Database& db, const storage::Tenant& owner, storage::Extension& found) {
                 set_password(found, owner.realm, password);
                 auto updated = db.extensions().update(found);
                 if (!updated) fail("changing the password of " + found.number, updated.error());
                 found = std::move(*updated);
               });
    on_sip(context_.sip, [&extension = extension](pbx::PbxCore& core) {
      core.directory().upsert_extension(extension);
      return true;
    });
    context_.log.info("admin API: new password for extension {} of tenant {}", extension.number,
                      tenant.name);
    return http::json_response(
        {{"tenant", tenant.name}, {"number", extension.number}, {"password", password}});
  }

  http::Response registrations(const http::Request& request) {
    const http::QueryParams query(request, {"tenant"});
    const auto tenant_name = query.get("tenant");
    const storage::UnixSeconds now = storage::unix_now();
    json list = on_sip(context_.sip, [&](pbx::PbxCore& core) {
      const auto& directory = core.directory();
      const storage::RowId only = tenant_filter(directory, tenant_name);
      // (tenant, number, contact) -> view, so the list comes out sorted.
      std::map<std::tuple<std::string, std::size_t, std::string, std::string>, json> sorted;
      for (const registrar::Binding* binding : core.location().all()) {
        if (binding->record.expires_at <= now) continue;
        const storage::Extension* extension =
            directory.extension_by_id(binding->record.extension_id);
        if (!extension || (only != 0 && extension->tenant_id != only)) continue;
        const storage::Tenant* tenant = directory.tenant(extension->tenant_id);
        const std::string tenant_text = tenant ? tenant->name : "";
        sorted.emplace(std::make_tuple(tenant_text, extension->number.size(), extension->number,
                                       binding->record.contact),
                       registration_view(*binding, tenant_text, extension->number, now));
      }
      json out = json::array();
      for (auto& [key, view] : sorted) out.push_back(std::move(view));
      return out;
    });
    return http::json_response({{"registrations", std::move(list)}});
  }

  http::Response calls(const http::Request& request) {
    const http::QueryParams query(request, {"tenant"});
    const auto tenant_name = query.get("tenant");
    const storage::UnixSeconds now = storage::unix_now();
    json list = on_sip(context_.sip, [&](pbx::PbxCore& core) {
      const auto& directory = core.directory();
      const storage::RowId only = tenant_filter(directory, tenant_name);
      auto calls = core.calls().calls();
      std::sort(calls.begin(), calls.end(), [](const auto& a, const auto& b) {
        return std::tie(a.start, a.call_id) < std::tie(b.start, b.call_id);
      });
      json out = json::array();
      for (const auto& call : calls) {
        if (only != 0 && call.tenant_id != only) continue;
        const storage::Tenant* tenant = directory.tenant(call.tenant_id);
        out.push_back(call_view(call, tenant ? tenant->name : "", now));
      }
      return out;
    });
    return http::json_response({{"calls", std::move(list)}});
  }

  http::Response call_records(const http::Request& request) {
    const http::QueryParams query(request, {"tenant", "number", "limit"});
    const auto tenant_name = query.get("tenant");
    storage::CdrQuery filter;
    if (auto number = query.get("number")) {
      if (number->empty() || !config::parse_text(*number, kMaxNumberFilter)) {
        throw http::ProblemError(
            400, "number: expected 1 to 64 characters without control characters", "number");
      }
      filter.number = *number;
    }
    filter.limit = static_cast<std::size_t>(
        query.integer("limit", 1, kMaxCdrLimit).value_or(kDefaultCdrLimit));
    auto [tenants, records] = on_database(context_.store, [&](storage::Database& db) {
      std::map<storage::RowId, std::string> names;
      for (const auto& tenant : all_tenants(db)) names.emplace(tenant.id, tenant.name);
      if (tenant_name) filter.tenant_id = find_tenant(db, tenant_name).id;
      auto records = db.cdr().recent(filter);
      if (!records) fail("reading call records", records.error());
      return std::make_pair(std::move(names), std::move(*records));
    });
    json list = json::array();
    for (const auto& record : records) {
      const auto name = tenants.find(record.tenant_id);
      list.push_back(call_record_view(record, name != tenants.end() ? name->second : ""));
    }
    return http::json_response({{"records", std::move(list)}});
  }

 private:
  using Edit = std::function<void(storage::Database&, const storage::Tenant&, storage::Extension&)>;

  // The tenant and extension the path names ({tenant}/{number}), after `edit` ran on it in the
  // same database job; 404 when either does not exist.
  std::pair<storage::Tenant, storage::Extension> lookup(const http::Request& request,
                                                        const Edit& edit = {}) {
    const std::string& tenant_name = request.path_param("tenant");
    const std::string& number = request.path_param("number");
    return on_database(context_.store, [&](storage::Database& db) {
      storage::Tenant tenant = find_tenant(db, tenant_name);
      storage::Extension extension = find_extension(db, tenant, number);
      if (edit) edit(db, tenant, extension);
      return std::make_pair(std::move(tenant), std::move(extension));
    });
  }

  json shown(const storage::Extension& extension, const std::string& tenant) {
    json view = extension_view(extension, tenant);
    view["contacts"] = contact_counts({extension}).front();
    return view;
  }

  // How many unexpired contacts each extension has registered now.
  std::vector<std::size_t> contact_counts(const std::vector<storage::Extension>& extensions) {
    const storage::UnixSeconds now = storage::unix_now();
    return on_sip(context_.sip, [&](pbx::PbxCore& core) {
      std::vector<std::size_t> counts;
      counts.reserve(extensions.size());
      for (const auto& extension : extensions) {
        counts.push_back(core.location().contacts(extension.id, now).size());
      }
      return counts;
    });
  }

  // The id of the tenant a ?tenant= filter names (0: no filter); 404 for an unknown one. Runs on
  // the SIP thread, with the live directory.
  static storage::RowId tenant_filter(const directory::Directory& directory,
                                      const std::optional<std::string>& name) {
    if (!name) return 0;
    for (const storage::Tenant* tenant : directory.tenants()) {
      if (tenant->name == *name) return tenant->id;
    }
    throw http::ProblemError(404, "no tenant " + *name, "tenant");
  }

  AdminContext context_;
};

}  // namespace

void add_admin_routes(http::Router& router, AdminContext context) {
  auto api = std::make_shared<AdminApi>(context);
  auto token = std::make_shared<const std::string>(std::move(context.token));
  using Method = http::Response (AdminApi::*)(const http::Request&);
  auto add = [&](const char* method, const char* path, Method handler) {
    auto run = [api, handler, log = context.log](const http::Request& request) {
      // The client sees a failure of ours (a database error, a bug) as a 500; the log must too.
      try {
        return ((*api).*handler)(request);
      } catch (const http::ProblemError& e) {
        if (e.status() >= 500)
          log.error("admin API: {} {}: {}", request.method, request.path, e.what());
        throw;
      } catch (const std::exception& e) {
        log.error("admin API: {} {}: {}", request.method, request.path, e.what());
        throw;
      }
    };
    router.add(method, path, http::require_bearer(token, std::move(run)));
  };
  add("GET", "/api/v1/tenants", &AdminApi::tenants);
  add("GET", "/api/v1/extensions", &AdminApi::extensions);
  add("POST", "/api/v1/extensions", &AdminApi::add_extension);
  add("GET", "/api/v1/extensions/{tenant}/{number}", &AdminApi::extension);
  add("PATCH", "/api/v1/extensions/{tenant}/{number}", &AdminApi::change_extension);
  add("DELETE", "/api/v1/extensions/{tenant}/{number}", &AdminApi::remove_extension);
  add("POST", "/api/v1/extensions/{tenant}/{number}/password", &AdminApi::new_password);
  add("GET", "/api/v1/registrations", &AdminApi::registrations);
  add("GET", "/api/v1/calls", &AdminApi::calls);
  add("GET", "/api/v1/cdr", &AdminApi::call_records);
}

}  // namespace kolokol::server
