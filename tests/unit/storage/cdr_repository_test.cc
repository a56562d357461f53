#include <gtest/gtest.h>

#include "raw_sqlite.h"
#include "temp_database.h"

namespace kolokol::storage::testing {
namespace {

using Kind = StorageError::Kind;
using CdrRepositoryTest = DatabaseTest;

CallRecord record(const std::string& call_id, RowId tenant_id, const std::string& caller,
                  const std::string& callee, UnixSeconds start) {
  CallRecord out;
  out.call_id = call_id;
  out.tenant_id = tenant_id;
  out.caller = caller;
  out.callee = callee;
  out.start = start;
  out.end = start + 10;
  out.disposition = Disposition::NoAnswer;
  out.sip_status = 480;
  out.ended_by = "system";
  out.end_reason = "ring-timeout";
  return out;
}

std::vector<std::string> ids(const std::vector<CallRecord>& records) {
  std::vector<std::string> out;
  for (const auto& entry : records) out.push_back(entry.call_id);
  return out;
}

TEST_F(CdrRepositoryTest, StoresEveryField) {
  CallRecord answered = record("3f2a-1", 7, "1001", "1002", 1'700'000'000);
  answered.chain_id = "chain-9";
  answered.caller_name = "Анна";
  answered.answer = 1'700'000'004;
  answered.end = 1'700'000'064;
  answered.duration_ms = 60'250;
  answered.disposition = Disposition::Answered;
  answered.sip_status = 200;
  answered.ended_by = "callee";
  answered.end_reason = "bye";
  ASSERT_TRUE(db().cdr().insert(answered).has_value());
  ASSERT_TRUE(db().cdr().insert(record("3f2a-2", 7, "1001", "1003", 1'600'000'000)).has_value());

  auto listed = db().cdr().recent({});
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  const CallRecord& stored = (*listed)[0];
  EXPECT_EQ(stored.call_id, "3f2a-1");
  EXPECT_EQ(stored.chain_id, "chain-9");
  EXPECT_EQ(stored.tenant_id, 7);
  EXPECT_EQ(stored.caller, "1001");
  EXPECT_EQ(stored.caller_name, "Анна");
  EXPECT_EQ(stored.callee, "1002");
  EXPECT_EQ(stored.start, 1'700'000'000);
  EXPECT_EQ(stored.answer, std::optional<UnixSeconds>(1'700'000'004));
  EXPECT_EQ(stored.end, 1'700'000'064);
  EXPECT_EQ(stored.duration_ms, 60'250);
  EXPECT_EQ(stored.disposition, Disposition::Answered);
  EXPECT_EQ(stored.sip_status, 200);
  EXPECT_EQ(stored.ended_by, "callee");
  EXPECT_EQ(stored.end_reason, "bye");

  const CallRecord& unanswered = (*listed)[1];
  EXPECT_EQ(unanswered.answer, std::nullopt);
  EXPECT_EQ(unanswered.disposition, Disposition::NoAnswer);
  EXPECT_EQ(unanswered.sip_status, 480);
}

TEST_F(CdrRepositoryTest, DuplicateCallIdIsConflict) {
  ASSERT_TRUE(db().cdr().insert(record("same", 1, "1001", "1002", 10)).has_value());
  auto again = db().cdr().insert(record("same", 1, "1003", "1004", 20));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().kind, Kind::Conflict);
  auto empty = db().cdr().insert(record("", 1, "1003", "1004", 20));
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().kind, Kind::Invalid);
}

TEST_F(CdrRepositoryTest, NewestFirstThenLastInsertedFirst) {
  ASSERT_TRUE(db().cdr().insert(record("b", 1, "1001", "1002", 200)).has_value());
  ASSERT_TRUE(db().cdr().insert(record("a", 1, "1001", "1002", 100)).has_value());
  ASSERT_TRUE(db().cdr().insert(record("c1", 1, "1001", "1002", 300)).has_value());
  ASSERT_TRUE(db().cdr().insert(record("c2", 1, "1001", "1002", 300)).has_value());
  auto listed = db().cdr().recent({});
  ASSERT_TRUE(listed.has_value());
  EXPECT_EQ(ids(*listed), (std::vector<std::string>{"c2", "c1", "b", "a"}));

  CdrQuery two;
  two.limit = 2;
  EXPECT_EQ(ids(*db().cdr().recent(two)), (std::vector<std::string>{"c2", "c1"}));
  CdrQuery none;
  none.limit = 0;
  EXPECT_TRUE(db().cdr().recent(none)->empty());
}

TEST_F(CdrRepositoryTest, FiltersByTenantAndNumber) {
  ASSERT_TRUE(db().cdr().insert(record("t1-out", 1, "1001", "1002", 10)).has_value());
  ASSERT_TRUE(db().cdr().insert(record("t1-in", 1, "1003", "1001", 20)).has_value());
  ASSERT_TRUE(db().cdr().insert(record("t1-other", 1, "1003", "1004", 30)).has_value());
  ASSERT_TRUE(db().cdr().insert(record("t2-same-number", 2, "1001", "1005", 40)).has_value());

  CdrQuery tenant;
  tenant.tenant_id = 1;
  EXPECT_EQ(ids(*db().cdr().recent(tenant)),
            (std::vector<std::string>{"t1-other", "t1-in", "t1-out"}));

  CdrQuery number;
  number.number = "1001";
  EXPECT_EQ(ids(*db().cdr().recent(number)),
            (std::vector<std::string>{"t2-same-number", "t1-in", "t1-out"}));

  CdrQuery both;
  both.tenant_id = 1;
  both.number = "1001";
  both.limit = 1;
  EXPECT_EQ(ids(*db().cdr().recent(both)), std::vector<std::string>{"t1-in"});

  CdrQuery nobody;
  nobody.number = "9999";
  EXPECT_TRUE(db().cdr().recent(nobody)->empty());
  // A filter value is data, never SQL.
  nobody.number = "1001' OR '1'='1";
  EXPECT_TRUE(db().cdr().recent(nobody)->empty());
}

TEST_F(CdrRepositoryTest, UnknownDispositionInTheFileIsAnError) {
  ASSERT_TRUE(db().cdr().insert(record("x", 1, "1001", "1002", 10)).has_value());
  RawSqlite raw(path());
  raw.exec("UPDATE call_records SET disposition = 'exploded'");
  auto listed = db().cdr().recent({});
  ASSERT_FALSE(listed.has_value());
  EXPECT_EQ(listed.error().kind, Kind::Backend);
  EXPECT_NE(listed.error().message.find("exploded"), std::string::npos);
}

}  // namespace
}  // namespace kolokol::storage::testing
