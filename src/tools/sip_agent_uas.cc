// uas mode: answers every INVITE with 180 then 200 (SDP answer, 100rel when asked), takes
// re-INVITE/UPDATE/BYE/CANCEL as they come, counts calls.
#include <set>

#include "sip_agent_modes.h"
#include "sip_agent_sdp.h"

namespace kolokol::tools {
namespace {

class UasRunner final : public AgentRunner {
 public:
  UasRunner(AgentStack& stack, const AgentOptions& options, base::Logger log, Finished finished)
      : stack_(stack),
        options_(options),
        log_(std::move(log)),
        finished_(std::move(finished)),
        sdp_(stack.bound.empty() ? "127.0.0.1" : stack.bound.front().address) {}

  base::Expected<bool, std::string> start() override {
    sip::SessionHandler handler;
    handler.on_incoming = [this](sip::InviteSession& session, const sip::Message&) {
      session.ring();
      session.accept();
    };
    handler.on_established = [this](sip::InviteSession& session) {
      established_.insert(session.id());
      if (options_.bye_after_ms >= 0) {
        const auto id = session.id();
        stack_.timers.schedule(base::Duration(options_.bye_after_ms), [this, id] {
          if (auto* s = stack_.sessions.find(id)) s->hangup();
        });
      }
    };
    handler.on_terminated = [this](sip::InviteSession& session, const sip::SessionEnd& end) {
      const bool was_up = established_.erase(session.id()) > 0;
      const bool good = (was_up && (end.reason == sip::SessionEndReason::RemoteBye ||
                                    end.reason == sip::SessionEndReason::LocalBye)) ||
                        end.reason == sip::SessionEndReason::Cancelled;
      ++tally_.calls;
      ++(good ? tally_.ok : tally_.failed);
      log_.info("call {} ended: {} {}", session.call_id(), sip::end_reason_name(end.reason),
                end.status);
      if (!good) {
        log_.warn("call {} failed: {} {}", session.call_id(), sip::end_reason_name(end.reason),
                  end.status);
      }
      if (options_.calls > 0 && tally_.calls >= options_.calls) finished_();
    };
    handler.on_offer = [this](sip::InviteSession&, std::string_view offer) {
      return sdp_.answer(offer);
    };
    handler.make_offer = [this](sip::InviteSession&) { return sdp_.offer(); };
    stack_.sessions.set_handler(std::move(handler));
    return true;
  }

  void shutdown() override { stack_.sessions.hangup_all(); }

 private:
  AgentStack& stack_;
  const AgentOptions& options_;
  base::Logger log_;
  Finished finished_;
  AgentSdp sdp_;
  std::set<std::uint64_t> established_;
};

}  // namespace

std::unique_ptr<AgentRunner> make_uas_runner(AgentStack& stack, const AgentOptions& options,
                                             base::Logger log, Finished finished) {
  return std::make_unique<UasRunner>(stack, options, std::move(log), std::move(finished));
}

}  // namespace kolokol::tools
