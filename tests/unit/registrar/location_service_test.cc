#include "registrar/location_service.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kolokol::registrar {
namespace {

storage::ContactBinding record(storage::RowId extension, std::string contact,
                               storage::UnixSeconds expires_at, float q = 1.0F) {
  storage::ContactBinding out;
  out.extension_id = extension;
  out.contact = std::move(contact);
  out.call_id = "c";
  out.cseq = 1;
  out.expires_at = expires_at;
  out.q = q;
  out.received = "udp:192.0.2.1:5060";
  out.local = "udp:127.0.0.1:5060";
  return out;
}

sip::Uri uri(const std::string& text) {
  return *sip::parse_uri(text);
}

std::vector<std::string> contacts_of(const std::vector<const Binding*>& list) {
  std::vector<std::string> out;
  for (const Binding* binding : list) out.push_back(binding->record.contact);
  return out;
}

TEST(LocationService, LoadSkipsExpiredAndUnreadableBindings) {
  LocationService location;
  storage::ContactBinding good = record(1, "sip:a@192.0.2.1", 200);
  good.received = "tcp:[2001:db8::1]:40000";
  storage::ContactBinding expired = record(1, "sip:b@192.0.2.1", 100);
  storage::ContactBinding broken = record(1, "sip:c@192.0.2.1", 200);
  broken.received = "carrier-pigeon";
  storage::ContactBinding not_sip = record(1, "tel:+15551234", 200);
  EXPECT_EQ(location.load({good, expired, broken, not_sip}, 100), 1u);
  ASSERT_EQ(location.size(), 1u);
  EXPECT_EQ(location.all()[0]->destination(),
            (sip::Endpoint{sip::Transport::Tcp, "2001:db8::1", 40000}));
  EXPECT_TRUE(location.all()[0]->reachable);
}

TEST(LocationService, ContactsOrderByQThenNewestAndSkipExpired) {
  LocationService location;
  location.upsert(record(1, "sip:low@192.0.2.1", 500, 0.1F));
  location.upsert(record(1, "sip:old@192.0.2.1", 500));
  location.upsert(record(1, "sip:gone@192.0.2.1", 50));
  location.upsert(record(1, "sip:new@192.0.2.1", 400));
  location.upsert(record(2, "sip:other@192.0.2.1", 500));
  EXPECT_EQ(
      contacts_of(location.contacts(1, 100)),
      (std::vector<std::string>{"sip:new@192.0.2.1", "sip:old@192.0.2.1", "sip:low@192.0.2.1"}));
  // A refresh makes a binding the newest.
  location.upsert(record(1, "sip:old@192.0.2.1", 600));
  EXPECT_EQ(contacts_of(location.contacts(1, 100))[0], "sip:old@192.0.2.1");
  EXPECT_EQ(location.size(), 5u);
  EXPECT_TRUE(location.contacts(3, 100).empty());
}

TEST(LocationService, RefreshKeepsTheIdAndQualifyStateButMarksReachable) {
  LocationService location;
  const std::uint64_t id = location.upsert(record(1, "sip:a@192.0.2.1", 500))->id;
  ASSERT_TRUE(location.set_reachable(id, false));
  Binding* binding = location.find_by_id(id);
  binding->qualify_pending = true;
  EXPECT_TRUE(location.reachable_contacts(1, 100).empty());
  const Binding* refreshed = location.upsert(record(1, "sip:A@192.0.2.1", 900));  // equivalent? no
  EXPECT_NE(refreshed->id, id);  // the user part is case-sensitive: another contact
  refreshed = location.upsert(record(1, "SIP:a@192.0.2.1", 900));
  EXPECT_EQ(refreshed->id, id);
  EXPECT_TRUE(refreshed->reachable);  // it just registered over its flow
  EXPECT_TRUE(refreshed->qualify_pending);
  EXPECT_EQ(refreshed->record.expires_at, 900);
}

TEST(LocationService, ReachabilityIsPerBinding) {
  LocationService location;
  const std::uint64_t a = location.upsert(record(1, "sip:a@192.0.2.1", 500))->id;
  location.upsert(record(1, "sip:b@192.0.2.1", 500));
  EXPECT_TRUE(location.set_reachable(a, false));
  EXPECT_EQ(contacts_of(location.reachable_contacts(1, 100)),
            (std::vector<std::string>{"sip:b@192.0.2.1"}));
  EXPECT_TRUE(location.set_reachable(a, true, std::chrono::milliseconds(12)));
  EXPECT_EQ(location.find_by_id(a)->round_trip, std::chrono::milliseconds(12));
  EXPECT_EQ(location.reachable_contacts(1, 100).size(), 2u);
  EXPECT_FALSE(location.set_reachable(999, true));
}

TEST(LocationService, RemoveOneRemoveAllAndExpire) {
  LocationService location;
  const std::uint64_t a = location.upsert(record(1, "sip:a@Host.Test", 500))->id;
  location.upsert(record(1, "sip:b@192.0.2.1", 150));
  location.upsert(record(2, "sip:c@192.0.2.1", 150));
  location.upsert(record(2, "sip:d@192.0.2.1", 500));
  auto removed = location.remove(1, uri("sip:a@host.test"));
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->contact, "sip:a@Host.Test");  // as stored
  EXPECT_EQ(location.find_by_id(a), nullptr);
  EXPECT_FALSE(location.remove(1, uri("sip:a@host.test")).has_value());
  EXPECT_FALSE(location.remove(7, uri("sip:a@host.test")).has_value());

  auto expired = location.expire(150);
  ASSERT_EQ(expired.size(), 2u);
  EXPECT_EQ(location.size(), 1u);
  EXPECT_EQ(location.find(1, uri("sip:b@192.0.2.1")), nullptr);

  auto all = location.remove_all(2);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].contact, "sip:d@192.0.2.1");
  EXPECT_EQ(location.size(), 0u);
  EXPECT_TRUE(location.remove_all(2).empty());
  EXPECT_TRUE(location.all().empty());
}

}  // namespace
}  // namespace kolokol::registrar
