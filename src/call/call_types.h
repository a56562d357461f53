#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sip/msg/message.h"
#include "sip/msg/name_addr.h"
#include "sip/transport/endpoint.h"
#include "storage/model.h"

namespace kolokol::call {

// Who places a call, as established before the B2BUA sees it (digest authentication of an
// extension; trusted trunks come with the routing issue).
struct CallerIdentity {
  storage::RowId tenant_id = 0;
  std::string domain;  // the tenant's SIP domain used in From/To towards callees
  std::string number;  // the extension number
  std::string display_name;
};

// One contact to ring: where the INVITE goes and what it says.
struct ForkTarget {
  sip::Uri request_uri;           // the registered Contact URI
  sip::Endpoint destination;      // where to send it (the flow the registration came from)
  sip::NameAddr contact;          // our Contact towards it
  std::vector<std::string> path;  // RFC 3327 Path of the binding: becomes the Route set
};

// What routing decided for a dialled number.
struct RouteDecision {
  enum class Kind : std::uint8_t {
    Ring,         // ring every target in parallel
    NotFound,     // 404: no such number
    Unavailable,  // 480: the number exists but nothing of it is reachable now
    Forbidden,    // 403: the caller may not call it
  };
  Kind kind = Kind::NotFound;
  std::string callee;  // the number as dialled
  std::string callee_display;
  std::vector<ForkTarget> targets;
};
using Router =
    std::function<RouteDecision(const CallerIdentity& caller, const sip::Message& invite)>;

struct B2buaConfig {
  std::chrono::seconds ring_timeout{60};
  std::string user_agent = "kolokol";
  // Anchored calls only: record every answered call into recording_dir (which must exist).
  bool record_calls = false;
  std::string recording_dir;
  std::string recording_format = "wav";  // wav, opus (Ogg) or mp3
};

// A call as the CLI and API list it.
struct CallInfo {
  std::string call_id;
  std::string chain_id;
  storage::RowId tenant_id = 0;
  std::string caller;
  std::string callee;
  std::string state;  // "ringing", "answered"
  storage::UnixSeconds start = 0;
  std::optional<storage::UnixSeconds> answer;
  std::size_t forks = 0;      // B legs still ringing (0 once answered)
  std::string caller_digits;  // keys pressed during the call (anchored calls), latest last
  std::string callee_digits;
};

}  // namespace kolokol::call
