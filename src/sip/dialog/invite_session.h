#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/timer_service.h"
#include "sip/dialog/dialog.h"
#include "sip/dialog/dialog_set.h"
#include "sip/dialog/offer_answer.h"
#include "sip/dialog/session_timer.h"
#include "sip/msg/message.h"
#include "sip/transport/endpoint.h"
#include "sip/txn/transaction_handles.h"
#include "sip/txn/transaction_user.h"

namespace kolokol::sip {

class SessionManager;

enum class InviteSessionState : std::uint8_t {
  Calling,      // UAC: INVITE sent, no dialog yet
  Early,        // UAC: early dialog(s); UAS: a provisional with tag sent
  Incoming,     // UAS: INVITE received, nothing with tag sent yet
  Accepted,     // UAS: 2xx sent, waiting for the ACK
  Established,  // confirmed dialog, ACK exchanged
  Terminated,
};
std::string_view session_state_name(InviteSessionState state);

enum class SessionEndReason : std::uint8_t {
  Rejected,   // final non-2xx to the INVITE (status says which), sent or received
  Cancelled,  // CANCEL from either side
  LocalBye,
  RemoteBye,
  Timeout,         // the INVITE got no final response
  NoAck,           // UAS: our 2xx was never ACKed (BYE sent)
  SessionExpired,  // RFC 4028: no refresh in time (BYE sent)
  TransportError,
};
std::string_view end_reason_name(SessionEndReason reason);

struct SessionEnd {
  SessionEndReason reason = SessionEndReason::LocalBye;
  int status = 0;  // the final response for Rejected
};

// One INVITE usage: the initial INVITE transaction, its dialog, offer/answer, re-INVITE/UPDATE,
// PRACK (RFC 3262), session timers (RFC 4028), BYE and CANCEL. Created and owned by
// SessionManager; the application drives it through the methods below and hears about it
// through SessionHandler (session_manager.h). Single-threaded like the transaction layer.
class InviteSession {
 public:
  InviteSession(SessionManager& manager, std::uint64_t id, bool is_uac);
  ~InviteSession();
  InviteSession(const InviteSession&) = delete;
  InviteSession& operator=(const InviteSession&) = delete;

  std::uint64_t id() const { return id_; }
  bool is_uac() const { return is_uac_; }
  InviteSessionState state() const { return state_; }
  const Dialog* dialog() const { return dialog_; }
  const OfferAnswer& offer_answer() const { return oa_; }
  std::string_view call_id() const { return call_id_; }
  std::string_view local_tag() const { return local_tag_; }
  // Negotiated session timer, when one runs.
  std::optional<std::uint32_t> session_interval() const { return session_interval_; }
  bool we_refresh() const { return we_refresh_; }
  const Message* initial_request() const { return invite_ ? &*invite_ : nullptr; }
  const std::optional<SessionEnd>& end() const { return end_; }

  // UAS: the answer to the initial INVITE. ring() sends 180 (reliably when the UAC requires or
  // supports 100rel and reliability is enabled), progress() 183; accept() sends the 2xx (after
  // any outstanding reliable provisional was PRACKed); reject() a 3xx-6xx.
  void ring() { provisional(180); }
  // early_sdp: the SDP an unreliable 183 carries for early media (RFC 3960: what the media comes
  // from, the same answer the 2xx will carry; a B2BUA passes its other leg's). A reliable
  // provisional negotiates offer/answer itself and ignores it.
  void progress(std::string_view early_sdp = {}) { provisional(183, early_sdp); }
  void provisional(int status, std::string_view early_sdp = {});
  void accept();
  void reject(int status, std::string_view reason = {});

  // UAC: CANCEL the INVITE (before the final response).
  void cancel();
  // Either side: ends the session (CANCEL for an unanswered UAC INVITE, a final error for an
  // unanswered UAS INVITE, BYE otherwise).
  void hangup();
  // Re-INVITE (target refresh, new offer when given or the current local description) and
  // UPDATE (RFC 3311; offer optional). False when not allowed now (another offer in progress,
  // not established).
  bool reinvite(std::optional<std::string> offer = {});
  bool update(std::optional<std::string> offer = {});
  // Answers the re-INVITE or UPDATE held open by SessionHandler::on_modify_offer: 2xx with the
  // answer, or a 3xx-6xx (the offer is rolled back). False when nothing is held open.
  bool answer_modify(std::string answer);
  bool reject_modify(int status, std::string_view reason = {});
  bool modify_held() const { return incoming_reinvite_pending_; }
  // Sends a request without special meaning in the dialog (INFO, MESSAGE, ...).
  bool send_in_dialog(std::string_view method, std::string content_type = {},
                      std::string body = {});

 private:
  friend class SessionManager;

  // Entry points from the manager.
  void start_uac(Message invite, const Endpoint& destination);
  void start_uas(ServerTransaction txn, const Message& invite, const Source& source);
  void on_request(ServerTransaction txn, const Message& request, const Source& source);
  void on_ack(const Message& ack);
  void on_cancel(ServerTransaction invite);
  void on_stray_2xx(const Message& response);
  void on_server_failure(ServerTransaction txn, TransactionFailure failure);
  bool owns(const ServerTransaction& txn) const;

  // UAC (invite_session_uac.cc).
  void send_invite();
  void on_invite_response(const Message& response);
  void on_invite_2xx(const Message& response);
  void on_reliable_provisional(Dialog& early, const Message& response);
  void on_invite_failure(int status, const Message* response);

  // UAS (invite_session_uas.cc).
  Dialog& ensure_uas_dialog();
  Message build_uas_response(int status);
  void send_reliable(Message response);
  void reliable_retransmit();
  void on_prack(ServerTransaction txn, const Message& request);
  void send_2xx_now();
  void retransmit_2xx();

  // In-dialog (invite_session.cc).
  void on_reinvite(ServerTransaction txn, const Message& request);
  void on_update(ServerTransaction txn, const Message& request);
  bool hold_modify(ServerTransaction& txn, const Message& request);
  bool refuse_small_interval(ServerTransaction& txn, const Message& request);
  void answer_modify_now(ServerTransaction txn, const Message& request);
  void send_reinvite_2xx(ServerTransaction txn, const Message& request,
                         std::optional<std::string> answer);
  void send_update_2xx(ServerTransaction txn, const Message& request,
                       std::optional<std::string> answer);
  void on_bye(ServerTransaction txn, const Message& request);
  void send_modify(Method method, std::optional<std::string> offer, bool refresh);
  void on_modify_response(Method method, const Message& response);
  void schedule_glare_retry(Method method, std::optional<std::string> offer);
  void send_bye(SessionEndReason reason);
  ClientTransaction send_dialog_request(Dialog& dialog, Message request, ClientCallbacks callbacks);
  Endpoint destination_for(const Dialog& dialog, const Message& request) const;
  void send_ack_for(const Message& response, std::uint32_t cseq, std::string body = {});
  void apply_session_timer(const Message& response_or_request, bool we_sent_request);
  void arm_session_timer();
  void on_session_timer();
  void add_session_timer_headers(Message& request) const;
  // The answer to an offer received in carrier's body (or to the pending remote offer); nothing
  // when the application rejects it (the offer is rolled back).
  std::optional<std::string> answer_offer(const Message& carrier);
  std::optional<std::string> answer_pending_offer();
  void take_answer(const Message& carrier);
  void send_2xx(ServerTransaction txn, Message response, const Source& source);
  std::string current_offer();
  void add_common_headers(Message& message) const;
  void terminate(SessionEnd end);
  base::TimerId start_timer(base::Duration delay, std::function<void()> callback);
  void stop_timer(base::TimerId& id);
  bool has_sdp(const Message& message) const;

  SessionManager& manager_;
  const std::uint64_t id_;
  const bool is_uac_;
  InviteSessionState state_;
  std::string call_id_;
  std::string local_tag_;
  std::optional<SessionEnd> end_;

  std::optional<Message> invite_;        // the initial INVITE (UAC: without Via, as built)
  std::optional<DialogSet> dialog_set_;  // UAC: every (forked) dialog
  std::optional<Dialog> uas_dialog_;     // UAS
  Dialog* dialog_ = nullptr;             // the one dialog of the session
  OfferAnswer oa_;
  Transport transport_ = Transport::Udp;
  std::optional<Endpoint> flow_;  // reliable flow the UAS reuses for its requests
  Endpoint invite_destination_;

  // UAC state.
  ClientTransaction invite_txn_;
  std::uint32_t invite_cseq_ = 0;
  bool cancel_requested_ = false;
  std::optional<std::uint32_t> last_rseq_;
  std::map<std::uint32_t, Message> acks_;  // ACK per INVITE CSeq, re-sent for 2xx retransmissions
  std::uint32_t requested_session_interval_ = 0;
  int session_interval_retries_ = 0;

  // UAS state.
  ServerTransaction invite_stx_;
  Source invite_source_;
  bool uac_supports_100rel_ = false;
  bool uac_requires_100rel_ = false;
  std::uint32_t next_rseq_ = 1;
  std::optional<Message> unacked_reliable_;  // reliable provisional waiting for PRACK
  std::optional<Message> queued_reliable_;
  base::Duration reliable_interval_{};
  base::TimePoint reliable_deadline_{};
  base::TimerId reliable_timer_ = base::kNoTimer;
  bool accept_pending_ = false;
  std::optional<Message> sent_2xx_;  // our 2xx to the current INVITE (initial or re-INVITE)
  ServerTransaction pending_2xx_txn_;
  Source pending_2xx_source_;
  base::Duration retransmit_interval_{};
  base::TimePoint retransmit_deadline_{};
  base::TimerId retransmit_timer_ = base::kNoTimer;

  // Re-INVITE / UPDATE.
  ClientTransaction modify_txn_;
  bool modify_in_progress_ = false;
  ServerTransaction incoming_reinvite_;  // a re-INVITE or UPDATE held open (on_modify_offer)
  std::optional<Message> held_modify_;
  bool incoming_reinvite_pending_ = false;
  base::TimerId glare_timer_ = base::kNoTimer;

  // Session timer.
  std::optional<std::uint32_t> session_interval_;
  bool we_refresh_ = false;
  bool peer_allows_update_ = false;
  base::TimerId session_timer_ = base::kNoTimer;
  bool refresh_outstanding_ = false;

  std::vector<ClientTransaction> client_txns_;  // detached on destruction
  std::set<base::TimerId> timers_;
};

}  // namespace kolokol::sip
