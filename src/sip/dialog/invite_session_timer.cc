// RFC 4028 session timers of an InviteSession: who refreshes, when, and the BYE on expiry.
#include "sip/dialog/invite_session.h"
#include "sip/dialog/session_manager.h"

namespace kolokol::sip {

void InviteSession::add_session_timer_headers(Message& request) const {
  if (!session_interval_) return;
  SessionExpires expires{*session_interval_, we_refresh_ ? Refresher::Uac : Refresher::Uas};
  request.set_header(HeaderId::SessionExpires, expires.to_string());
  request.set_header(HeaderId::MinSE, std::to_string(manager_.config().min_se));
}

void InviteSession::apply_session_timer(const Message& message, bool we_sent_request) {
  auto expires = session_expires_of(message);
  if (!expires) {
    if (we_sent_request && message.is_response()) {
      session_interval_.reset();  // RFC 4028 7.2: no Session-Expires in the 2xx, no timer
      stop_timer(session_timer_);
    }
    return;
  }
  session_interval_ = expires->interval;
  const Refresher refresher = expires->refresher.value_or(Refresher::Uac);
  we_refresh_ = (refresher == Refresher::Uac) == we_sent_request;
  refresh_outstanding_ = false;
  if (state_ == InviteSessionState::Established) arm_session_timer();
}

void InviteSession::arm_session_timer() {
  stop_timer(session_timer_);
  if (!session_interval_) return;
  const std::uint32_t seconds =
      we_refresh_ ? *session_interval_ / 2 : session_expiry_guard(*session_interval_);
  session_timer_ = start_timer(std::chrono::seconds(seconds), [this] {
    session_timer_ = base::kNoTimer;
    on_session_timer();
  });
}

void InviteSession::on_session_timer() {
  if (!session_interval_ || state_ != InviteSessionState::Established) return;
  if (!we_refresh_ || refresh_outstanding_) {
    send_bye(SessionEndReason::SessionExpired);
    return;
  }
  refresh_outstanding_ = true;
  if (!modify_in_progress_) {
    if (peer_allows_update_) {
      send_modify(Method::Update, std::nullopt, true);
    } else if (oa_.idle()) {
      send_modify(Method::Invite,
                  oa_.local_sdp().empty() ? std::nullopt : std::optional(oa_.local_sdp()), true);
    }
  }
  // Without a successful refresh the session ends where the peer would end it.
  const std::uint32_t half = *session_interval_ / 2;
  const std::uint32_t guard = session_expiry_guard(*session_interval_);
  session_timer_ = start_timer(std::chrono::seconds(guard > half ? guard - half : 1), [this] {
    session_timer_ = base::kNoTimer;
    on_session_timer();
  });
}

}  // namespace kolokol::sip
