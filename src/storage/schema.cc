#include "storage/schema.h"

#include <array>

namespace kolokol::storage {
namespace {

// Column names avoid reserved words (`end`, `start`) so no backend needs quoting. Times are
// Unix seconds in BIGINT: PostgreSQL's INTEGER is 32-bit. Booleans are INTEGER 0/1.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  realm TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0
);
-- At most one tenant answers for the daemon's own addresses.
CREATE UNIQUE INDEX tenants_one_default ON tenants (is_default) WHERE is_default = 1;

CREATE TABLE tenant_domains (
  tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  domain TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL
);
CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_id, position);

CREATE TABLE extensions (
  id INTEGER PRIMARY KEY,
  tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  number TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  ha1_md5 TEXT NOT NULL,
  ha1_sha256 TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  UNIQUE (tenant_id, number)
);

CREATE TABLE contact_bindings (
  extension_id BIGINT NOT NULL REFERENCES extensions (id) ON DELETE CASCADE,
  contact TEXT NOT NULL,
  instance_id TEXT NOT NULL DEFAULT '',
  call_id TEXT NOT NULL,
  cseq BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  q REAL NOT NULL DEFAULT 1.0,
  path TEXT NOT NULL DEFAULT '',
  received TEXT NOT NULL DEFAULT '',
  local TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (extension_id, contact)
);
CREATE INDEX contact_bindings_expires ON contact_bindings (expires_at);

CREATE TABLE call_records (
  id INTEGER PRIMARY KEY,
  call_id TEXT NOT NULL UNIQUE,
  chain_id TEXT NOT NULL DEFAULT '',
  tenant_id BIGINT NOT NULL,
  caller TEXT NOT NULL,
  caller_name TEXT NOT NULL DEFAULT '',
  callee TEXT NOT NULL,
  start_at BIGINT NOT NULL,
  answer_at BIGINT,
  end_at BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  disposition TEXT NOT NULL,
  sip_status INTEGER NOT NULL,
  ended_by TEXT NOT NULL DEFAULT '',
  end_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX call_records_start ON call_records (start_at);
CREATE INDEX call_records_caller ON call_records (caller, start_at);
CREATE INDEX call_records_callee ON call_records (callee, start_at);
)sql";

// The media engine relays calls and keeps per-leg RTP statistics for the CDR.
constexpr const char* kCallMediaQuality = R"sql(
ALTER TABLE call_records ADD COLUMN media_anchored INTEGER NOT NULL DEFAULT 0;
ALTER TABLE call_records ADD COLUMN caller_rtp_packets BIGINT NOT NULL DEFAULT 0;
ALTER TABLE call_records ADD COLUMN caller_rtp_lost BIGINT NOT NULL DEFAULT 0;
ALTER TABLE call_records ADD COLUMN caller_jitter_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE call_records ADD COLUMN caller_reported_lost BIGINT NOT NULL DEFAULT -1;
ALTER TABLE call_records ADD COLUMN callee_rtp_packets BIGINT NOT NULL DEFAULT 0;
ALTER TABLE call_records ADD COLUMN callee_rtp_lost BIGINT NOT NULL DEFAULT 0;
ALTER TABLE call_records ADD COLUMN callee_jitter_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE call_records ADD COLUMN callee_reported_lost BIGINT NOT NULL DEFAULT -1;
)sql";

constexpr const char* kCallRecordingPath = R"sql(
ALTER TABLE call_records ADD COLUMN recording TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::array kMigrations{
    Migration{1, "tenants, extensions, contact bindings, call records", kInitialSchema},
    Migration{2, "media quality of relayed calls in call records", kCallMediaQuality},
    Migration{3, "recording path in call records", kCallRecordingPath},
};

}  // namespace

std::span<const Migration> schema_migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return kMigrations.back().version;
}

}  // namespace kolokol::storage
