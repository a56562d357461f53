#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/timer_service.h"
#include "sip/dialog/invite_session.h"
#include "sip/txn/transaction_layer.h"
#include "sip/txn/transaction_user.h"

namespace kolokol::sip {

struct InviteSessionConfig {
  // RFC 3262: the UAC advertises Supported: 100rel; the UAS sends reliable provisionals when the
  // UAC requires 100rel, or supports it and prefer_100rel is set.
  bool support_100rel = true;
  bool require_100rel = false;  // UAC: Require: 100rel
  bool prefer_100rel = false;   // UAS
  // RFC 4028: the interval we ask for (UAC) or impose (UAS, when the UAC asks for none);
  // empty disables session timers unless the peer asks for one.
  std::optional<std::uint32_t> session_expires;
  std::uint32_t min_se = kMinSessionExpires;
  std::string user_agent = "kolokol";
  std::string allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, INFO";
  std::optional<std::uint64_t> seed;  // glare back-off randomness (tests)
  // The Contact a UAS session puts in its responses; default: the local endpoint the INVITE
  // arrived on (contact_for_endpoint).
  std::function<NameAddr(const Source& source)> local_contact;
};

// What the application hears about its sessions. Every callback is optional. Callbacks run on the
// SIP thread and may call back into the session or the manager.
struct SessionHandler {
  // A new INVITE arrived; answer through session.ring()/accept()/reject(), now or later.
  // Without a handler the INVITE is rejected with 480.
  std::function<void(InviteSession& session, const Message& invite)> on_incoming;
  // UAC: a provisional response of the initial INVITE.
  std::function<void(InviteSession& session, const Message& response)> on_provisional;
  std::function<void(InviteSession& session)> on_established;
  std::function<void(InviteSession& session, const SessionEnd& end)> on_terminated;
  // An offer arrived (INVITE, re-INVITE, UPDATE, 2xx, reliable 1xx, PRACK): return the answer,
  // or nothing to reject it (488). Without a handler the offer is answered with the current local
  // description when there is one (or rejected).
  std::function<std::optional<std::string>(InviteSession& session, std::string_view offer)>
      on_offer;
  std::function<void(InviteSession& session, std::string_view answer)> on_answer;
  // A re-INVITE or UPDATE with an offer arrived in an established session. When set and it
  // returns true, the session holds the request open and the application answers later with
  // answer_modify() or reject_modify() (a B2BUA first relays the offer to its other leg);
  // returning false answers at once through on_offer.
  std::function<bool(InviteSession& session, Method method, std::string_view offer)>
      on_modify_offer;
  // The session must make an offer itself (a 2xx to an INVITE without SDP, a re-INVITE without
  // SDP). Without a handler the current local description is offered again.
  std::function<std::string(InviteSession& session)> make_offer;
  // An INFO arrived in an established session (answered 200 before this is called): key presses
  // of phones that send them as application/dtmf-relay, and anything else an application
  // exchanges in the dialog.
  std::function<void(InviteSession& session, const Message& info)> on_info;
  // A re-INVITE or UPDATE of ours finished with this status (2xx, 491 after retries ...).
  std::function<void(InviteSession& session, Method method, int status)> on_modified;
  // A request outside any session other than INVITE (OPTIONS, REGISTER, MESSAGE ...).
  // Without a handler OPTIONS gets 200 and everything else 405.
  std::function<void(ServerTransaction txn, const Message& request, const Source& source)>
      on_out_of_dialog;
};

// The outgoing INVITE. request_uri is the target; destination is where it is sent (the target
// itself, or an outbound proxy). When route is set it becomes the pre-loaded Route set.
struct OutgoingCall {
  Uri request_uri;
  NameAddr from;  // a tag is added
  NameAddr to;
  NameAddr contact;
  Endpoint destination;
  std::optional<std::string> offer;  // application/sdp body
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

// The transaction user of the dialog layer: routes requests, ACKs, CANCELs and stray 2xx to
// the InviteSession they belong to (by Call-ID and our tag), creates UAS sessions for new
// INVITEs and UAC sessions on request, answers what belongs to no session (481 for unknown
// dialogs). Owns the sessions. A session that ends before its dialog was confirmed lingers for
// 64*T1, so a late 2xx (another fork, a CANCEL race) still finds it to be ACKed and ended; one
// that ends after the ACK exchange is destroyed at once: the transaction layer absorbs whatever
// the peer retransmits, and keeping each finished call's session for 32 s made calls at 1,000/s
// hold 400 MiB.
class SessionManager final : public TransactionUser {
 public:
  SessionManager(TransactionLayer& layer, base::TimerService& timers, base::Logger log,
                 InviteSessionConfig config = {}, SessionHandler handler = {});
  ~SessionManager() override;

  void set_handler(SessionHandler handler) { handler_ = std::move(handler); }
  InviteSession* invite(OutgoingCall call);
  InviteSession* find(std::uint64_t session_id);
  std::size_t session_count() const { return sessions_.size(); }
  std::size_t active_session_count() const;
  // Ends every session (BYE / CANCEL / 480), e.g. on shutdown.
  void hangup_all();

  // TransactionUser.
  void on_request(ServerTransaction txn, const Message& request, const Source& source) override;
  void on_ack(const Message& ack, const Source& source) override;
  void on_cancel(ServerTransaction invite, const Message& cancel, const Source& source) override;
  void on_stray_response(const Message& response, const Source& source) override;
  void on_server_failure(ServerTransaction txn, TransactionFailure failure) override;

  // For sessions.
  TransactionLayer& layer() { return layer_; }
  base::TimerService& timers() { return timers_; }
  const InviteSessionConfig& config() const { return config_; }
  const SessionHandler& handler() const { return handler_; }
  const base::Logger& log() const { return log_; }
  base::Duration glare_backoff(bool owns_call_id);
  void session_terminated(InviteSession& session, bool was_established);

 private:
  using Key = std::pair<std::string, std::string>;  // Call-ID, local tag
  InviteSession* find(std::string_view call_id, std::string_view local_tag);
  void reap(std::uint64_t session_id);

  TransactionLayer& layer_;
  base::TimerService& timers_;
  base::Logger log_;
  InviteSessionConfig config_;
  SessionHandler handler_;
  std::mt19937_64 rng_;
  std::uint64_t next_id_ = 1;
  std::map<Key, std::unique_ptr<InviteSession>> sessions_;
  std::map<std::uint64_t, Key> by_id_;
  std::map<std::uint64_t, base::TimerId> reap_timers_;  // by session id
};

}  // namespace kolokol::sip
