// uac mode: N calls one after another (INVITE with SDP, ACK, optional re-INVITE, BYE from
// either side).
#include "sip/dialog/uri_endpoint.h"
#include "sip_agent_modes.h"
#include "sip_agent_sdp.h"

namespace kolokol::tools {
namespace {

class UacRunner final : public AgentRunner {
 public:
  UacRunner(AgentStack& stack, const AgentOptions& options, base::Logger log, Finished finished)
      : stack_(stack),
        options_(options),
        log_(std::move(log)),
        finished_(std::move(finished)),
        sdp_(stack.bound.empty() ? "127.0.0.1" : stack.bound.front().address) {}

  base::Expected<bool, std::string> start() override {
    auto target = sip::parse_uri(options_.target);
    if (!target) return base::unexpected("bad --target: " + target.error().reason);
    target_ = *target;
    auto destination = sip::endpoint_from_uri(target_);
    if (!destination) return base::unexpected(std::string("--target host must be an IP address"));
    destination_ = *destination;
    auto local = stack_.local_for(destination_.transport);
    if (!local)
      return base::unexpected(std::string("no local listener for the target's transport"));
    local_ = *local;

    sip::SessionHandler handler;
    handler.on_established = [this](sip::InviteSession& session) { on_established(session); };
    handler.on_modified = [this](sip::InviteSession&, sip::Method method, int status) {
      if (method == sip::Method::Invite && (status < 200 || status >= 300)) call_ok_ = false;
      log_.info("re-INVITE answered {}", status);
    };
    handler.on_terminated = [this](sip::InviteSession& session, const sip::SessionEnd& end) {
      on_terminated(session, end);
    };
    handler.on_offer = [this](sip::InviteSession&, std::string_view offer) {
      return sdp_.answer(offer);
    };
    handler.make_offer = [this](sip::InviteSession&) { return sdp_.offer(); };
    stack_.sessions.set_handler(std::move(handler));
    place_call();
    return true;
  }

  void shutdown() override { stack_.sessions.hangup_all(); }

 private:
  void place_call() {
    sip::OutgoingCall call;
    call.request_uri = target_;
    call.from =
        *sip::parse_name_addr("<sip:sip_agent@" + sip::contact_for_endpoint(local_).uri.host + ">");
    sip::NameAddr to;
    to.uri = target_;
    to.uri.params.clear();
    call.to = to;
    call.contact = sip::contact_for_endpoint(local_, "sip_agent");
    call.destination = destination_;
    call.offer = sdp_.offer();
    established_ = false;
    call_ok_ = true;
    stack_.sessions.invite(std::move(call));
  }

  void on_established(sip::InviteSession& session) {
    established_ = true;
    const auto id = session.id();
    if (options_.reinvite) {
      stack_.timers.schedule(base::Duration(options_.hold_ms / 2), [this, id] {
        if (auto* s = stack_.sessions.find(id); s && !s->reinvite(sdp_.offer())) call_ok_ = false;
      });
    }
    // With --bye-from remote the peer hangs up; if it never does, we do and count a failure.
    const int wait = options_.bye_from_remote ? options_.hold_ms + 10000 : options_.hold_ms;
    stack_.timers.schedule(base::Duration(wait), [this, id] {
      auto* s = stack_.sessions.find(id);
      if (!s || s->state() == sip::InviteSessionState::Terminated) return;
      if (options_.bye_from_remote) call_ok_ = false;
      s->hangup();
    });
  }

  void on_terminated(sip::InviteSession& session, const sip::SessionEnd& end) {
    const auto expected = options_.bye_from_remote ? sip::SessionEndReason::RemoteBye
                                                   : sip::SessionEndReason::LocalBye;
    const bool good = established_ && call_ok_ && end.reason == expected;
    ++tally_.calls;
    ++(good ? tally_.ok : tally_.failed);
    if (!good) {
      log_.warn("call {} failed: {} {}", session.call_id(), sip::end_reason_name(end.reason),
                end.status);
    }
    if (tally_.calls >= options_.calls) {
      finished_();
      return;
    }
    // Next call from the event loop, not from inside this session's callback.
    stack_.timers.schedule(base::Duration(0), [this] { place_call(); });
  }

  AgentStack& stack_;
  const AgentOptions& options_;
  base::Logger log_;
  Finished finished_;
  AgentSdp sdp_;
  sip::Uri target_;
  sip::Endpoint destination_;
  sip::Endpoint local_;
  bool established_ = false;
  bool call_ok_ = true;
};

}  // namespace

std::unique_ptr<AgentRunner> make_uac_runner(AgentStack& stack, const AgentOptions& options,
                                             base::Logger log, Finished finished) {
  return std::make_unique<UacRunner>(stack, options, std::move(log), std::move(finished));
}

}  // namespace kolokol::tools
