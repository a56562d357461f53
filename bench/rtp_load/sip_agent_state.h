#pragma once

// The per-transaction and per-dialog state of SipAgent, shared by its three source files.

#include <memory>
#include <string>
#include <vector>

#include "sip_agent.h"

namespace kolokol::rtpload {

struct SipAgent::Registration {
  const Account* account = nullptr;
  std::string call_id;
  std::string from_tag;
  std::uint32_t cseq = 0;
  std::unique_ptr<sip::DigestClient> auth;
  Retransmit txn;
  int challenges = 0;
  enum class State : std::uint8_t { Pending, Done, Failed } state = State::Pending;
};

struct SipAgent::OutgoingCall {
  enum class State : std::uint8_t { Inviting, Up, Hanging, Ended, Failed };
  State state = State::Inviting;
  std::size_t index = 0;
  const Account* caller = nullptr;
  const Account* callee = nullptr;
  Endpoint* endpoint = nullptr;
  std::string call_id;
  std::string from_tag;
  std::string to_tag;
  std::string request_uri;
  std::uint32_t cseq = 0;
  std::string branch;  // of the INVITE in progress (a non-2xx ACK reuses it)
  std::string offer;
  std::string remote_target;
  std::vector<std::string> route;  // Record-Route of the 2xx, reversed
  std::unique_ptr<sip::DigestClient> auth;
  int challenges = 0;
  Retransmit txn;
  std::string ack;  // the ACK of the 2xx, resent for each 2xx retransmission
  Clock::time_point invited{};
  bool provisional = false;
  bool bad_answer = false;  // a 2xx without usable G.711 SDP: set up, but a failure
};

struct SipAgent::IncomingCall {
  std::string to_tag;
  std::string callee_user;
  std::string answer_sdp;
  Endpoint* endpoint = nullptr;
  Retransmit ok;  // the 200 until the ACK
  bool acked = false;
  bool ended = false;
};

}  // namespace kolokol::rtpload
