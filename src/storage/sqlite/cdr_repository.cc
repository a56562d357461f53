#include "storage/sqlite/cdr_repository.h"

#include <algorithm>
#include <limits>

#include "storage/sqlite/errors.h"

namespace kolokol::storage::sqlite {
namespace {

constexpr const char* kColumns =
    "SELECT call_id, chain_id, tenant_id, caller, caller_name, callee, start_at, answer_at, "
    "end_at, duration_ms, disposition, sip_status, ended_by, end_reason, media_anchored, "
    "caller_rtp_packets, caller_rtp_lost, caller_jitter_ms, caller_reported_lost, "
    "callee_rtp_packets, callee_rtp_lost, callee_jitter_ms, callee_reported_lost, recording "
    "FROM call_records";

// Counters beyond what a signed 64-bit column holds cannot happen in practice; clamp anyway.
std::int64_t column_value(std::uint64_t value) {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(value, std::numeric_limits<std::int64_t>::max()));
}

}  // namespace

Result<Done> SqliteCdrRepository::insert(const CallRecord& record) {
  const std::string doing = "saving call record " + record.call_id;
  if (record.call_id.empty()) {
    return base::unexpected(in_context(invalid("a call record needs a call id"), doing));
  }
  return transactor_.atomically(Transactor::Access::Write, [&]() -> Result<Done> {
    auto statement = connection_.prepare(
        "INSERT INTO call_records (call_id, chain_id, tenant_id, caller, caller_name, callee, "
        "start_at, answer_at, end_at, duration_ms, disposition, sip_status, ended_by, "
        "end_reason, media_anchored, caller_rtp_packets, caller_rtp_lost, caller_jitter_ms, "
        "caller_reported_lost, callee_rtp_packets, callee_rtp_lost, callee_jitter_ms, "
        "callee_reported_lost, recording) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)");
    if (!statement) return base::unexpected(in_context(statement.error(), doing));
    statement->bind_text(1, record.call_id)
        .bind_text(2, record.chain_id)
        .bind_int(3, record.tenant_id)
        .bind_text(4, record.caller)
        .bind_text(5, record.caller_name)
        .bind_text(6, record.callee)
        .bind_int(7, record.start)
        .bind_optional_int(8, record.answer)
        .bind_int(9, record.end)
        .bind_int(10, record.duration_ms)
        .bind_text(11, disposition_name(record.disposition))
        .bind_int(12, record.sip_status)
        .bind_text(13, record.ended_by)
        .bind_text(14, record.end_reason)
        .bind_int(15, record.media_anchored ? 1 : 0)
        .bind_int(16, column_value(record.caller_media.packets))
        .bind_int(17, column_value(record.caller_media.lost))
        .bind_int(18, record.caller_media.jitter_ms)
        .bind_int(19, record.caller_media.reported_lost)
        .bind_int(20, column_value(record.callee_media.packets))
        .bind_int(21, column_value(record.callee_media.lost))
        .bind_int(22, record.callee_media.jitter_ms)
        .bind_int(23, record.callee_media.reported_lost)
        .bind_text(24, record.recording);
    if (auto done = statement->run(); !done) {
      return base::unexpected(in_context(done.error(), doing));
    }
    return Done{};
  });
}

Result<std::vector<CallRecord>> SqliteCdrRepository::recent(const CdrQuery& query) {
  const char* doing = "listing call records";
  // Only fixed fragments are joined here; the values are bound. Separate caller and callee
  // indexes let SQLite answer the OR with two index lookups.
  std::string sql = kColumns;
  int next = 1;
  const int tenant_index = query.tenant_id ? next++ : 0;
  const int number_index = query.number ? next++ : 0;
  const int limit_index = next;
  if (tenant_index) sql += " WHERE tenant_id = ?" + std::to_string(tenant_index);
  if (number_index) {
    const std::string parameter = "?" + std::to_string(number_index);
    sql += tenant_index ? " AND" : " WHERE";
    sql += " (caller = " + parameter + " OR callee = " + parameter + ")";
  }
  sql += " ORDER BY start_at DESC, id DESC LIMIT ?" + std::to_string(limit_index);
  const auto limit = static_cast<std::int64_t>(
      std::min<std::size_t>(query.limit, std::numeric_limits<std::int64_t>::max()));

  return transactor_.atomically(Transactor::Access::Read, [&]() -> Result<std::vector<CallRecord>> {
    auto rows = connection_.prepare(sql);
    if (!rows) return base::unexpected(in_context(rows.error(), doing));
    if (tenant_index) rows->bind_int(tenant_index, *query.tenant_id);
    if (number_index) rows->bind_text(number_index, *query.number);
    rows->bind_int(limit_index, limit);
    std::vector<CallRecord> records;
    for (;;) {
      auto row = rows->step();
      if (!row) return base::unexpected(in_context(row.error(), doing));
      if (!*row) break;
      CallRecord record;
      record.call_id = rows->column_text(0);
      record.chain_id = rows->column_text(1);
      record.tenant_id = rows->column_int(2);
      record.caller = rows->column_text(3);
      record.caller_name = rows->column_text(4);
      record.callee = rows->column_text(5);
      record.start = rows->column_int(6);
      record.answer = rows->column_optional_int(7);
      record.end = rows->column_int(8);
      record.duration_ms = rows->column_int(9);
      const std::string disposition = rows->column_text(10);
      auto known = disposition_from_name(disposition);
      if (!known) {
        return base::unexpected(StorageError{
            StorageError::Kind::Backend, std::string(doing) + ": call record " + record.call_id +
                                             " has an unknown disposition '" + disposition + "'"});
      }
      record.disposition = *known;
      record.sip_status = static_cast<int>(rows->column_int(11));
      record.ended_by = rows->column_text(12);
      record.end_reason = rows->column_text(13);
      record.media_anchored = rows->column_int(14) != 0;
      auto read_media = [&](MediaQuality& quality, int first) {
        quality.packets =
            static_cast<std::uint64_t>(std::max<std::int64_t>(rows->column_int(first), 0));
        quality.lost =
            static_cast<std::uint64_t>(std::max<std::int64_t>(rows->column_int(first + 1), 0));
        quality.jitter_ms =
            static_cast<std::uint32_t>(std::max<std::int64_t>(rows->column_int(first + 2), 0));
        quality.reported_lost = rows->column_int(first + 3);
      };
      read_media(record.caller_media, 15);
      read_media(record.callee_media, 19);
      record.recording = rows->column_text(23);
      records.push_back(std::move(record));
    }
    return records;
  });
}

}  // namespace kolokol::storage::sqlite
