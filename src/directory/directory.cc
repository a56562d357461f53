#include "directory/directory.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>

namespace kolokol::directory {
namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// (digits without leading zeros by length, then by text, then the full text): a tuple order, so
// a strict weak order for any text, and numeric order for numbers.
bool number_less(std::string_view a, std::string_view b) {
  auto significant = [](std::string_view text) {
    const auto first = text.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view{} : text.substr(first);
  };
  const std::string_view sa = significant(a);
  const std::string_view sb = significant(b);
  if (sa.size() != sb.size()) return sa.size() < sb.size();
  if (sa != sb) return sa < sb;
  return a < b;
}

template <typename A, typename B>
bool key_less(const A& a, const B& b) {
  if (a.first != b.first) return a.first < b.first;
  return number_less(a.second, b.second);
}

}  // namespace

std::string normalise_host(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string out(host);
  for (char& c : out) c = ascii_lower(c);
  if (out.find(':') != std::string::npos) {
    in6_addr address{};
    char text[INET6_ADDRSTRLEN] = {};
    if (::inet_pton(AF_INET6, out.c_str(), &address) == 1 &&
        ::inet_ntop(AF_INET6, &address, text, sizeof text) != nullptr) {
      return text;
    }
    return out;
  }
  if (out.size() > 1 && out.back() == '.') out.pop_back();  // "pbx.example.com."
  return out;
}

bool Directory::NumberOrder::operator()(const std::pair<storage::RowId, std::string>& a,
                                        const std::pair<storage::RowId, std::string>& b) const {
  return key_less(a, b);
}
bool Directory::NumberOrder::operator()(const std::pair<storage::RowId, std::string_view>& a,
                                        const std::pair<storage::RowId, std::string>& b) const {
  return key_less(a, b);
}
bool Directory::NumberOrder::operator()(
    const std::pair<storage::RowId, std::string>& a,
    const std::pair<storage::RowId, std::string_view>& b) const {
  return key_less(a, b);
}

void Directory::replace(std::vector<storage::Tenant> tenants,
                        std::vector<storage::Extension> extensions) {
  tenants_.clear();
  extensions_.clear();
  by_number_.clear();
  by_domain_.clear();
  for (const auto& tenant : tenants) upsert_tenant(tenant);
  for (const auto& extension : extensions) upsert_extension(extension);
}

void Directory::unindex_tenant_domains(storage::RowId id) {
  std::erase_if(by_domain_, [&](const auto& entry) { return entry.second == id; });
}

void Directory::upsert_tenant(const storage::Tenant& tenant) {
  unindex_tenant_domains(tenant.id);
  for (const auto& domain : tenant.domains) {
    if (!domain.empty()) by_domain_[normalise_host(domain)] = tenant.id;
  }
  tenants_[tenant.id] = tenant;
}

void Directory::remove_tenant(storage::RowId id) {
  unindex_tenant_domains(id);
  tenants_.erase(id);
  std::vector<storage::RowId> orphans;
  for (const auto& [extension_id, extension] : extensions_) {
    if (extension.tenant_id == id) orphans.push_back(extension_id);
  }
  for (storage::RowId orphan : orphans) remove_extension(orphan);
}

void Directory::upsert_extension(const storage::Extension& extension) {
  remove_extension(extension.id);
  extensions_[extension.id] = extension;
  // The database keeps (tenant, number) unique; should two ids still claim one number, the
  // latest wins the number and the other stays reachable by id only.
  by_number_[{extension.tenant_id, extension.number}] = extension.id;
}

void Directory::remove_extension(storage::RowId id) {
  auto found = extensions_.find(id);
  if (found == extensions_.end()) return;
  auto indexed = by_number_.find(
      std::pair<storage::RowId, std::string_view>{found->second.tenant_id, found->second.number});
  if (indexed != by_number_.end() && indexed->second == id) by_number_.erase(indexed);
  extensions_.erase(found);
}

void Directory::set_local_hosts(std::vector<std::string> hosts) {
  local_hosts_.clear();
  for (const auto& host : hosts) {
    std::string normal = normalise_host(host);
    if (normal.empty()) continue;
    if (std::find(local_hosts_.begin(), local_hosts_.end(), normal) == local_hosts_.end()) {
      local_hosts_.push_back(std::move(normal));
    }
  }
}

const storage::Tenant* Directory::tenant_for_host(std::string_view host) const {
  const std::string key = normalise_host(host);
  if (key.empty()) return nullptr;
  if (auto found = by_domain_.find(key); found != by_domain_.end()) return tenant(found->second);
  if (std::find(local_hosts_.begin(), local_hosts_.end(), key) != local_hosts_.end()) {
    return default_tenant();
  }
  return nullptr;
}

bool Directory::is_local_host(std::string_view host) const {
  const std::string key = normalise_host(host);
  return std::find(local_hosts_.begin(), local_hosts_.end(), key) != local_hosts_.end();
}

const storage::Tenant* Directory::tenant_for_realm(std::string_view realm) const {
  for (const auto& [id, tenant] : tenants_) {
    if (tenant.realm == realm) return &tenant;
  }
  return nullptr;
}

const storage::Tenant* Directory::tenant(storage::RowId id) const {
  auto found = tenants_.find(id);
  return found == tenants_.end() ? nullptr : &found->second;
}

const storage::Tenant* Directory::default_tenant() const {
  for (const auto& [id, tenant] : tenants_) {
    if (tenant.is_default) return &tenant;
  }
  return nullptr;
}

const storage::Extension* Directory::extension(storage::RowId tenant_id,
                                               std::string_view number) const {
  auto found = by_number_.find(std::pair<storage::RowId, std::string_view>{tenant_id, number});
  return found == by_number_.end() ? nullptr : extension_by_id(found->second);
}

const storage::Extension* Directory::extension_by_id(storage::RowId id) const {
  auto found = extensions_.find(id);
  return found == extensions_.end() ? nullptr : &found->second;
}

std::vector<const storage::Extension*> Directory::extensions(storage::RowId tenant_id) const {
  std::vector<const storage::Extension*> out;
  auto it = by_number_.lower_bound(std::pair<storage::RowId, std::string_view>{tenant_id, ""});
  for (; it != by_number_.end() && it->first.first == tenant_id; ++it) {
    if (const storage::Extension* extension = extension_by_id(it->second)) {
      out.push_back(extension);
    }
  }
  return out;
}

std::vector<const storage::Tenant*> Directory::tenants() const {
  std::vector<const storage::Tenant*> out;
  out.reserve(tenants_.size());
  for (const auto& [id, tenant] : tenants_) out.push_back(&tenant);
  return out;
}

}  // namespace kolokol::directory
