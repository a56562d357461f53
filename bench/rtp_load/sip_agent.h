#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/expected.h"
#include "load_options.h"
#include "sip/auth/digest_client.h"
#include "sip/msg/ids.h"
#include "sip/msg/message.h"
#include "udp_socket.h"

namespace kolokol::rtpload {

using Clock = std::chrono::steady_clock;

// A request sent over UDP and resent with RFC 3261 timers (T1 = 500 ms doubling; capped at
// T2 = 4 s except for INVITE) until answered or 64*T1 have passed. Also used for a UAS's 2xx to
// an INVITE, resent until the ACK (13.3.1.4).
struct Retransmit {
  std::string text;
  int fd = -1;
  sockaddr_in to{};
  bool active = false;
  bool cap_at_t2 = true;
  Clock::duration interval{};
  Clock::time_point next{};
  Clock::time_point deadline{};
};

// The tool's SIP side, run on the main thread: the callee extensions register and answer, the
// caller extensions place the calls. Two UDP sockets: one for the callers, one that every
// callee registration names as its Contact. Every call's caller RTP endpoint is endpoints[2 i];
// callee endpoints endpoints[2 k + 1] are handed out in the order INVITEs arrive, since with
// anchoring nothing in the callee's INVITE says which call it is.
class SipAgent {
 public:
  struct Counters {
    std::map<std::string, std::uint64_t> failures;  // "INVITE 486", "BYE timeout", ...
    std::uint64_t retransmissions = 0;
    std::uint64_t unparsable = 0;
    std::uint64_t offers_direct = 0;   // callee's INVITE offered a caller's own RTP port
    std::uint64_t offers_relayed = 0;  // ... any other address: the PBX's relay
    std::uint64_t answers_direct = 0;  // caller's 200 answered with a callee's own RTP port
    std::uint64_t answers_relayed = 0;
    std::uint64_t pbx_hangups = 0;   // BYE from the PBX before we hung up
    std::uint64_t bye_received = 0;  // callee side, the normal end
  };

  static base::Expected<std::unique_ptr<SipAgent>, std::string> open(const LoadOptions& options,
                                                                     EndpointSet& endpoints);
  ~SipAgent();

  // Handles what arrives for at most `wait`, and resends or times out pending transactions.
  void poll(std::chrono::milliseconds wait);

  void register_callees();
  std::size_t registrations_pending() const;
  std::size_t registrations_failed() const;

  void start_call(std::size_t index);
  void hang_up(std::size_t index);  // BYE if the call is up
  std::size_t calls_started() const { return calls_started_; }
  std::size_t calls_up() const;
  std::size_t calls_failed() const;
  std::size_t calls_setting_up() const;
  std::size_t hangups_pending() const;
  std::size_t callee_dialogs_open() const;
  const std::vector<double>& setup_ms() const { return setup_ms_; }
  const Counters& counters() const { return counters_; }

 private:
  struct Registration;
  struct OutgoingCall;
  struct IncomingCall;

  SipAgent(const LoadOptions& options, EndpointSet& endpoints);

  void receive_all(int fd);
  void on_datagram(int fd, std::string_view bytes, const sockaddr_in& from);
  void on_response(const sip::Message& response);
  void on_request(int fd, const sip::Message& request, const sockaddr_in& from);
  void run_timers();

  // Registration (sip_agent.cc).
  void send_register(Registration& registration);
  void on_register_response(Registration& registration, const sip::Message& response);

  // Caller side (sip_caller.cc).
  void send_invite(OutgoingCall& call);
  void on_invite_response(OutgoingCall& call, const sip::Message& response);
  void on_answered(OutgoingCall& call, const sip::Message& response);
  void ack_failure(OutgoingCall& call, const sip::Message& response);
  void on_bye_response(OutgoingCall& call, const sip::Message& response);
  void fail(OutgoingCall& call, std::string reason);
  void on_caller_request(OutgoingCall& call, int fd, const sip::Message& request,
                         const sockaddr_in& from);
  sip::Message in_dialog_request(OutgoingCall& call, sip::Method method);

  // Callee side (sip_callee.cc).
  void on_new_invite(int fd, const sip::Message& invite, const sockaddr_in& from);
  void on_callee_request(IncomingCall& call, int fd, const sip::Message& request,
                         const sockaddr_in& from);

  void respond(int fd, const sip::Message& request, const sockaddr_in& to, int status,
               std::string_view to_tag = {}, const std::string* sdp = nullptr,
               std::string_view contact_user = {});
  std::string via(int fd);
  void send_now(Retransmit& txn, std::string text, int fd, const sockaddr_in& to, bool invite);
  // Resends when due; returns true once the transaction has timed out.
  bool resend_due(Retransmit& txn, Clock::time_point now);
  void count_failure(const std::string& reason) { ++counters_.failures[reason]; }

  const LoadOptions& options_;
  EndpointSet& endpoints_;
  sockaddr_in proxy_{};
  int caller_fd_ = -1;
  int callee_fd_ = -1;
  std::uint16_t caller_port_ = 0;
  std::uint16_t callee_port_ = 0;
  sip::IdGenerator ids_;
  Clock::time_point last_timer_run_{};

  std::vector<std::unique_ptr<Registration>> registrations_;
  std::vector<std::unique_ptr<OutgoingCall>> outgoing_;
  std::unordered_map<std::string, std::unique_ptr<IncomingCall>> incoming_;  // by Call-ID
  std::unordered_map<std::string, Registration*> registration_by_call_id_;
  std::unordered_map<std::string, OutgoingCall*> outgoing_by_call_id_;
  std::size_t calls_started_ = 0;
  std::size_t next_callee_endpoint_ = 0;
  std::vector<double> setup_ms_;
  Counters counters_;
  std::vector<char> receive_buffer_;
};

}  // namespace kolokol::rtpload
