#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/expected.h"
#include "sip/transport/transport_config.h"

namespace kolokol::tools {

enum class AgentMode { Uas, Uac, Options, Register };

struct AgentOptions {
  AgentMode mode = AgentMode::Uas;
  std::vector<sip::ListenerConfig> listeners;
  std::string target;        // uac / options: the Request-URI (and where it is sent)
  std::string register_uri;  // register: the address of record, sent to target or its host
  std::string user;
  std::string password;
  int calls = 1;                 // uas: exit after this many calls (0: until SIGTERM)
  int hold_ms = 500;             // uac: call duration before BYE
  bool bye_from_remote = false;  // uac: wait for the peer's BYE instead of sending one
  bool reinvite = false;         // uac: a re-INVITE in the middle of each call
  int bye_after_ms = -1;         // uas: send BYE this long after the ACK (-1: never)
  bool require_100rel = false;   // uac: Require: 100rel
  bool prefer_100rel = false;    // uas: reliable 180 whenever the UAC supports 100rel
  std::optional<std::uint32_t> session_expires;
  int timeout_s = 60;  // whole run
  std::string log_level = "warn";
  std::string data_dir = "var";
};

// Parses argv (first argument: the mode). Errors are the text to print.
base::Expected<AgentOptions, std::string> parse_agent_options(int argc, char** argv);

// "udp:127.0.0.1:5060", "tcp:[::1]:5070", "tls:127.0.0.1:0".
base::Expected<sip::ListenerConfig, std::string> parse_listen_spec(const std::string& spec);

}  // namespace kolokol::tools
