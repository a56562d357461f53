#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kolokol::storage {

// Wall-clock instants as stored: whole seconds since the Unix epoch (UTC).
using UnixSeconds = std::int64_t;
UnixSeconds unix_now();  // the system clock, as stored
// Row ids: 0 means "not stored yet".
using RowId = std::int64_t;

// A tenant (a company, "КД"): the SIP domains it answers for and the digest realm its
// extensions' HA1 values were computed in (fixed at creation: changing it would invalidate
// every stored HA1).
struct Tenant {
  RowId id = 0;
  std::string name;                  // unique, [a-z0-9-]+
  std::string realm;                 // digest realm
  std::vector<std::string> domains;  // lower-case host names or addresses it answers for
  bool is_default = false;           // also answers for any address the daemon listens on
};

// An extension (an internal number with SIP credentials). The plain password is never stored:
// only HA1 for MD5 and SHA-256 in the tenant's realm (RFC 7616 3.4.2).
struct Extension {
  RowId id = 0;
  RowId tenant_id = 0;
  std::string number;        // the dialled number and the SIP user name, [0-9]{2,15}
  std::string display_name;  // may be empty
  std::string ha1_md5;       // hex
  std::string ha1_sha256;    // hex
  bool enabled = true;
};

// One registered contact of an extension (RFC 3261 10.3): what the registrar keeps so that a
// restart loses nothing.
struct ContactBinding {
  RowId extension_id = 0;
  std::string contact;      // the Contact name-addr as registered (URI with its parameters)
  std::string instance_id;  // +sip.instance, when given (RFC 5626)
  std::string call_id;      // of the REGISTER that made or refreshed it
  std::uint32_t cseq = 0;
  UnixSeconds expires_at = 0;
  float q = 1.0F;
  std::vector<std::string> path;  // RFC 3327 Path values, in order
  std::string received;           // where the REGISTER came from: "udp:1.2.3.4:5060"
  std::string local;              // the local endpoint it arrived on: "udp:127.0.0.1:5060"
  std::string user_agent;
};

// How a call ended, for the CDR.
enum class Disposition : std::uint8_t {
  Answered,
  Busy,         // 486/600
  NoAnswer,     // ring timeout or 408/480 from the callee
  Cancelled,    // the caller gave up before an answer
  NotFound,     // no such number (404)
  Unavailable,  // the callee has no reachable contact (480)
  Rejected,     // another final error from the callee (403, 603 ...)
  Failed,       // our own or a transport error
};
const char* disposition_name(Disposition disposition);
std::optional<Disposition> disposition_from_name(std::string_view name);

// One call record (CDR): one per call, written when the call ends.
// What the PBX measured of one leg's media when it relayed the call (RFC 3550 statistics).
struct MediaQuality {
  std::uint64_t packets = 0;        // RTP packets the leg sent us
  std::uint64_t lost = 0;           // of those, missing by sequence number
  std::uint32_t jitter_ms = 0;      // highest interarrival jitter seen
  std::int64_t reported_lost = -1;  // the leg's own RTCP report of what it lost; -1: none
  bool operator==(const MediaQuality&) const = default;
};

struct CallRecord {
  std::string call_id;   // unique id of this call (uuid text)
  std::string chain_id;  // kept across legs by later features (transfer, queues)
  RowId tenant_id = 0;
  std::string caller;  // extension number or URI of the caller
  std::string caller_name;
  std::string callee;  // the number dialled
  UnixSeconds start = 0;
  std::optional<UnixSeconds> answer;
  UnixSeconds end = 0;
  std::int64_t duration_ms = 0;  // answer..end (0 when unanswered)
  Disposition disposition = Disposition::Failed;
  int sip_status = 0;           // the final status the caller got (200 for answered)
  std::string ended_by;         // "caller", "callee" or "system"
  std::string end_reason;       // "bye", "cancel", "session-expired", "ring-timeout", ...
  bool media_anchored = false;  // the PBX relayed the media (the two below are then filled)
  MediaQuality caller_media;
  MediaQuality callee_media;
  std::string recording;  // path of the call's recording, empty when not recorded
};

}  // namespace kolokol::storage
