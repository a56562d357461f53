#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "base/log.h"
#include "base/metrics.h"
#include "base/timer_service.h"
#include "call/call_types.h"
#include "media/engine/media_engine.h"
#include "sdp/session_description.h"
#include "sip/dialog/session_manager.h"
#include "storage/model.h"

namespace kolokol::call {

// The back-to-back user agent between extensions: the caller's INVITE session (the A leg) and
// one outgoing INVITE session per contact of the callee (B legs, rung in parallel). The first
// B leg to answer wins, the others are cancelled (or sent BYE when they answered too late);
// provisional responses, re-INVITE and UPDATE offers, BYE and CANCEL are carried from one side
// to the other; when every fork fails the caller gets the most telling final status. With a
// media engine (anchor_media) every call's audio is relayed through the PBX: each leg's SDP is
// rewritten to point at the call's relay before it reaches the other leg. Without one, SDP
// passes through unchanged and the phones send media to each other.
//
// Owns the SessionHandler of the SessionManager it is given, and so every INVITE session of it.
// Single-threaded: everything runs on the SIP thread. One CallRecord per call goes to the
// CdrSink when the last leg of a call ended.
class B2bua {
 public:
  using CdrSink = std::function<void(storage::CallRecord)>;
  using WallClock = std::function<storage::UnixSeconds()>;

  B2bua(sip::SessionManager& sessions, base::TimerService& timers, base::MetricsRegistry& metrics,
        base::Logger log, Router router, CdrSink cdr, B2buaConfig config = {},
        WallClock wall_clock = {});
  ~B2bua();
  B2bua(const B2bua&) = delete;
  B2bua& operator=(const B2bua&) = delete;

  // The identity of the caller whose INVITE the SessionManager is about to be given: the
  // authentication front calls this right before passing the request on, and the session it
  // creates synchronously picks it up. An INVITE arriving without one is refused with 403.
  void expect_caller(CallerIdentity caller) { expected_caller_ = std::move(caller); }

  // Anchors the media of every call started from now on. `post` runs a task on the thread of
  // this B2BUA (relay events arrive on media workers).
  using Poster = std::function<void(std::function<void()>)>;
  void anchor_media(media::MediaEngine& engine, Poster post);

  std::vector<CallInfo> calls() const;
  std::size_t active_calls() const { return calls_.size(); }
  // Ends every call (shutdown): BYE or CANCEL on every leg.
  void hangup_all();

 private:
  struct Call;
  enum class Side : std::uint8_t { A, B };
  struct LegRef {
    std::uint64_t call = 0;
    Side side = Side::A;
  };

  sip::SessionHandler make_handler();
  void on_incoming(sip::InviteSession& a_leg, const sip::Message& invite);
  void start_forks(Call& call, const std::string& offer, const RouteDecision& route);
  std::optional<std::string> anchor_offer(Call& call, std::string_view offer,
                                          const RouteDecision& route);
  // An offer or answer from the leg on `from`, rewritten for the other leg; the relay learns
  // where `from` receives media. Offers get the codecs the PBX transcodes; answers decide
  // whether it does. nullopt when the SDP is unusable.
  std::optional<std::string> relay_offer(Call& call, Side from, std::string_view sdp);
  std::optional<std::string> relay_answer(Call& call, Side from, std::string_view sdp);
  struct UsableSdp {
    sdp::SessionDescription sdp;
    media::RelayRemote remote;
  };
  // `text` parsed, with a live audio stream to relay; logged and nullopt otherwise.
  std::optional<UsableSdp> usable_sdp(const Call& call, Side from, std::string_view text,
                                      const char* kind);
  std::string relay_offer(Call& call, Side from, UsableSdp offer);
  void media_event(std::uint64_t call_id, const media::RelayEvent& event);
  void start_recording(Call& call);
  void record_media_quality(Call& call);
  void on_provisional(sip::InviteSession& b_leg, const sip::Message& response);
  void on_established(sip::InviteSession& session);
  void on_terminated(sip::InviteSession& session, const sip::SessionEnd& end);
  std::optional<std::string> on_offer(sip::InviteSession& session, std::string_view offer);
  bool on_modify_offer(sip::InviteSession& session, sip::Method method, std::string_view offer);
  void on_modified(sip::InviteSession& session, sip::Method method, int status);
  void on_info(sip::InviteSession& session, const sip::Message& info);
  void note_digit(Call& call, media::RelaySide side, char digit, std::uint32_t duration_ms,
                  std::string_view how);

  void answered(Call& call, sip::InviteSession& winner);
  void b_leg_ended(Call& call, std::uint64_t session_id, const sip::SessionEnd& end);
  void a_leg_ended(Call& call, const sip::SessionEnd& end);
  void ring_timeout(std::uint64_t call_id);
  void fail_call(Call& call, int status, storage::Disposition disposition, std::string reason);
  void cancel_forks(Call& call, std::uint64_t except_session);
  void finish_if_done(std::uint64_t call_id);  // the call may be gone already
  Call* call_of(const sip::InviteSession& session, Side* side = nullptr);
  sip::InviteSession* other_leg(Call& call, Side side);
  std::string new_uuid();
  storage::UnixSeconds wall_now() const;

  sip::SessionManager& sessions_;
  base::TimerService& timers_;
  base::Logger log_;
  Router router_;
  CdrSink cdr_;
  B2buaConfig config_;
  WallClock wall_clock_;
  std::mt19937_64 rng_;
  std::optional<CallerIdentity> expected_caller_;
  media::MediaEngine* media_ = nullptr;
  Poster post_;
  // Relay events posted to this thread check it before touching the B2BUA.
  std::shared_ptr<B2bua*> alive_ = std::make_shared<B2bua*>(this);
  std::uint64_t next_call_ = 1;
  std::map<std::uint64_t, std::unique_ptr<Call>> calls_;
  std::map<std::uint64_t, LegRef> legs_;  // by session id
  base::Gauge& active_gauge_;
  base::Counter& sip_info_digits_;
  base::MetricsRegistry& metrics_;
};

}  // namespace kolokol::call
