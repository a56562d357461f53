#include "directory/directory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <string>

#include "directory/local_hosts.h"

namespace kolokol::directory {
namespace {

storage::Tenant tenant(storage::RowId id, std::string name, std::vector<std::string> domains,
                       bool is_default = false) {
  return {id, name, name + ".realm", std::move(domains), is_default};
}

storage::Extension extension(storage::RowId id, storage::RowId tenant_id, std::string number) {
  return {id, tenant_id, std::move(number), "", "", "", true};
}

std::vector<std::string> numbers(const std::vector<const storage::Extension*>& list) {
  std::vector<std::string> out;
  for (const auto* e : list) out.push_back(e->number);
  return out;
}

TEST(Directory, HostsFindTheirTenantAndLocalAddressesTheDefaultOne) {
  Directory directory;
  directory.replace({tenant(1, "default", {}, true), tenant(2, "acme", {"pbx.acme.ru"})},
                    {extension(10, 1, "1001"), extension(20, 2, "1001")});
  directory.set_local_hosts({"127.0.0.1", "::1", "vm"});
  ASSERT_NE(directory.tenant_for_host("PBX.Acme.RU"), nullptr);
  EXPECT_EQ(directory.tenant_for_host("PBX.Acme.RU")->id, 2);
  EXPECT_EQ(directory.tenant_for_host("pbx.acme.ru.")->id, 2);  // fully qualified
  EXPECT_EQ(directory.tenant_for_host("127.0.0.1")->id, 1);
  EXPECT_EQ(directory.tenant_for_host("VM")->id, 1);
  EXPECT_EQ(directory.tenant_for_host("[::1]")->id, 1);
  EXPECT_EQ(directory.tenant_for_host("::1")->id, 1);
  EXPECT_EQ(directory.tenant_for_host("[0:0:0:0:0:0:0:1]")->id, 1);  // another IPv6 spelling
  EXPECT_EQ(directory.tenant_for_host("elsewhere.example"), nullptr);
  EXPECT_EQ(directory.tenant_for_host("127.0.0.2"), nullptr);
  EXPECT_EQ(directory.tenant_for_host(""), nullptr);
  EXPECT_EQ(directory.tenant_for_host("[]"), nullptr);
  EXPECT_TRUE(directory.is_local_host("[::1]"));
  EXPECT_FALSE(directory.is_local_host("pbx.acme.ru"));
  // The same number in two tenants is two extensions.
  EXPECT_EQ(directory.extension(1, "1001")->id, 10);
  EXPECT_EQ(directory.extension(2, "1001")->id, 20);
  EXPECT_EQ(directory.extension(2, "1002"), nullptr);
  EXPECT_EQ(directory.extension_by_id(20)->tenant_id, 2);
  EXPECT_EQ(directory.tenant_for_realm("acme.realm")->id, 2);
  EXPECT_EQ(directory.tenant_for_realm("ACME.realm"), nullptr);  // realms are case-sensitive
}

TEST(Directory, IpDomainsMatchInAnySpellingAndTenantsMayOwnAddresses) {
  Directory directory;
  directory.replace({tenant(1, "default", {}, true), tenant(2, "v6", {"[2001:DB8::10]"}),
                     tenant(3, "v4", {"192.0.2.7"})},
                    {});
  directory.set_local_hosts({"192.0.2.7"});
  EXPECT_EQ(directory.tenant_for_host("2001:db8:0::10")->id, 2);
  EXPECT_EQ(directory.tenant_for_host("[2001:db8::10]")->id, 2);
  // A tenant's own domain wins over the local-address fallback to the default tenant.
  EXPECT_EQ(directory.tenant_for_host("192.0.2.7")->id, 3);
}

TEST(Directory, WithoutADefaultTenantLocalHostsBelongToNobody) {
  Directory directory;
  directory.replace({tenant(2, "acme", {"pbx.acme.ru"})}, {});
  directory.set_local_hosts({"127.0.0.1"});
  EXPECT_EQ(directory.default_tenant(), nullptr);
  EXPECT_EQ(directory.tenant_for_host("127.0.0.1"), nullptr);
}

TEST(Directory, ExtensionsChangeLive) {
  Directory directory;
  directory.replace({tenant(1, "default", {}, true)}, {});
  directory.upsert_extension({10, 1, "1001", "Alice", "", "", true});
  ASSERT_NE(directory.extension(1, "1001"), nullptr);
  directory.upsert_extension({10, 1, "1007", "Alice", "", "", true});  // renumbered
  EXPECT_EQ(directory.extension(1, "1001"), nullptr);
  EXPECT_EQ(directory.extension(1, "1007")->display_name, "Alice");
  directory.remove_extension(10);
  EXPECT_EQ(directory.extension(1, "1007"), nullptr);
  EXPECT_EQ(directory.extension_by_id(10), nullptr);
  EXPECT_TRUE(directory.extensions(1).empty());
  directory.remove_extension(10);  // twice: nothing happens
}

TEST(Directory, RemovingAnExtensionThatLostItsNumberKeepsTheNewOwner) {
  Directory directory;
  directory.replace({tenant(1, "default", {}, true)}, {extension(10, 1, "1001")});
  directory.upsert_extension(extension(11, 1, "1001"));  // the number moved before 10 was gone
  directory.remove_extension(10);
  ASSERT_NE(directory.extension(1, "1001"), nullptr);
  EXPECT_EQ(directory.extension(1, "1001")->id, 11);
}

TEST(Directory, ExtensionsListInNumericOrderPerTenant) {
  Directory directory;
  directory.replace({tenant(1, "a", {"a.test"}), tenant(2, "b", {"b.test"})},
                    {extension(1, 1, "100"), extension(2, 1, "99"), extension(3, 1, "1000"),
                     extension(4, 1, "101"), extension(5, 2, "10"), extension(6, 1, "0100")});
  EXPECT_EQ(numbers(directory.extensions(1)),
            (std::vector<std::string>{"99", "0100", "100", "101", "1000"}));
  EXPECT_EQ(numbers(directory.extensions(2)), (std::vector<std::string>{"10"}));
  EXPECT_TRUE(directory.extensions(3).empty());
  EXPECT_EQ(directory.extension(1, "0100")->id, 6);  // "0100" and "100" stay distinct
  EXPECT_EQ(directory.extension(1, "100")->id, 1);
}

TEST(Directory, TenantsChangeLive) {
  Directory directory;
  directory.replace({tenant(1, "default", {}, true), tenant(2, "acme", {"old.acme.ru"})},
                    {extension(20, 2, "1001"), extension(10, 1, "1001")});
  directory.upsert_tenant(tenant(2, "acme", {"new.acme.ru"}));
  EXPECT_EQ(directory.tenant_for_host("old.acme.ru"), nullptr);
  EXPECT_EQ(directory.tenant_for_host("new.acme.ru")->id, 2);
  // A domain moving to another tenant follows it.
  directory.upsert_tenant(tenant(3, "beta", {"new.acme.ru"}));
  EXPECT_EQ(directory.tenant_for_host("new.acme.ru")->id, 3);
  directory.remove_tenant(2);
  EXPECT_EQ(directory.tenant(2), nullptr);
  EXPECT_EQ(directory.extension_by_id(20), nullptr);
  EXPECT_NE(directory.extension_by_id(10), nullptr);
  ASSERT_EQ(directory.tenants().size(), 2u);
  EXPECT_EQ(directory.tenants()[0]->id, 1);
  EXPECT_EQ(directory.default_tenant()->id, 1);
}

TEST(Directory, NormalisedHosts) {
  EXPECT_EQ(normalise_host("[2001:DB8:0:0::1]"), "2001:db8::1");
  EXPECT_EQ(normalise_host("Example.COM."), "example.com");
  EXPECT_EQ(normalise_host("not:an:address"), "not:an:address");
  EXPECT_EQ(normalise_host("10.0.0.1"), "10.0.0.1");
}

TEST(LocalHosts, ListsLoopbackAndTheHostName) {
  const std::vector<std::string> hosts = local_host_addresses();
  char name[HOST_NAME_MAX + 1] = {};
  ASSERT_EQ(::gethostname(name, sizeof name - 1), 0);
  EXPECT_NE(std::find(hosts.begin(), hosts.end(), std::string(name)), hosts.end());
  EXPECT_NE(std::find(hosts.begin(), hosts.end(), "127.0.0.1"), hosts.end());
  for (const auto& host : hosts) {
    EXPECT_EQ(std::count(hosts.begin(), hosts.end(), host), 1) << host;
    EXPECT_EQ(host.find('['), std::string::npos) << host;
  }
}

}  // namespace
}  // namespace kolokol::directory
