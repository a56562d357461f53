#include "call/b2bua.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "call/codec_negotiation.h"
#include "call/final_status.h"
#include "call/sdp_anchoring.h"
#include "media/dsp/dtmf_relay.h"
#include "sdp/parser.h"
#include "sip/dialog/offer_answer.h"

namespace kolokol::call {

struct B2bua::Call {
  std::uint64_t id = 0;
  storage::CallRecord record;
  base::TimePoint started{};
  base::TimePoint answered_at{};
  std::uint64_t a_session = 0;
  std::string domain;  // of the caller's tenant, for From/To towards the callee
  bool a_done = false;
  std::vector<std::uint64_t> forks;  // B legs not ended yet (the winner included)
  std::uint64_t winner = 0;
  bool winner_done = false;
  bool final_sent = false;  // the caller got a final error from us
  std::vector<int> fork_statuses;
  int provisional_sent = 0;
  base::TimerId ring_timer = base::kNoTimer;
  // The side whose re-INVITE/UPDATE is held open while the other side answers the relayed offer.
  std::optional<Side> relaying;
  // Anchored media: the relay and the address each leg is told to send to.
  std::unique_ptr<media::MediaRelay> relay;
  std::array<std::string, 2> media_address;
  bool media_timed_out = false;
  // The last offer relayed, as its leg sent it: the answer is checked against it.
  std::optional<sdp::SessionDescription> offer;
  bool transcoding = false;
  std::string caller_digits;  // the last keys each leg pressed (bounded)
  std::string callee_digits;
};

namespace {

bool carries_sdp(const sip::Message& message) {
  return !message.body().empty() && sip::is_sdp_content_type(message.content_type());
}

sip::NameAddr party(const std::string& number, const std::string& domain,
                    const std::string& display) {
  sip::NameAddr out;
  out.uri.scheme = sip::UriScheme::Sip;
  out.uri.scheme_text = "sip";
  out.uri.user = number;
  out.uri.host = domain;
  if (!display.empty()) out.display_name = display;
  return out;
}

int fork_status(const sip::SessionEnd& end) {
  switch (end.reason) {
    case sip::SessionEndReason::Rejected:
      return end.status;
    case sip::SessionEndReason::Cancelled:
      return 487;
    case sip::SessionEndReason::Timeout:
      return 408;
    case sip::SessionEndReason::TransportError:
      return 503;
    default:
      return 500;
  }
}

const char* end_reason_text(const sip::SessionEnd& end) {
  switch (end.reason) {
    case sip::SessionEndReason::LocalBye:
    case sip::SessionEndReason::RemoteBye:
      return "bye";
    case sip::SessionEndReason::SessionExpired:
      return "session-expired";
    case sip::SessionEndReason::Timeout:
      return "timeout";
    case sip::SessionEndReason::NoAck:
      return "no-ack";
    case sip::SessionEndReason::TransportError:
      return "transport-error";
    case sip::SessionEndReason::Cancelled:
      return "cancel";
    case sip::SessionEndReason::Rejected:
      return "rejected";
  }
  return "?";
}

}  // namespace

B2bua::B2bua(sip::SessionManager& sessions, base::TimerService& timers,
             base::MetricsRegistry& metrics, base::Logger log, Router router, CdrSink cdr,
             B2buaConfig config, WallClock wall_clock)
    : sessions_(sessions),
      timers_(timers),
      log_(std::move(log)),
      router_(std::move(router)),
      cdr_(std::move(cdr)),
      config_(std::move(config)),
      wall_clock_(std::move(wall_clock)),
      rng_(std::random_device{}()),
      active_gauge_(metrics.gauge("calls_active", "Calls in progress (ringing or answered)")),
      sip_info_digits_(metrics.counter("media_dtmf_digits_total", "Key presses detected",
                                       {{"source", "sip-info"}})),
      metrics_(metrics) {
  sessions_.set_handler(make_handler());
}

B2bua::~B2bua() {
  alive_.reset();
  for (auto& [id, call] : calls_) timers_.cancel(call->ring_timer);
  sessions_.set_handler({});
}

sip::SessionHandler B2bua::make_handler() {
  sip::SessionHandler handler;
  handler.on_incoming = [this](sip::InviteSession& session, const sip::Message& invite) {
    on_incoming(session, invite);
  };
  handler.on_provisional = [this](sip::InviteSession& session, const sip::Message& response) {
    on_provisional(session, response);
  };
  handler.on_established = [this](sip::InviteSession& session) { on_established(session); };
  handler.on_terminated = [this](sip::InviteSession& session, const sip::SessionEnd& end) {
    on_terminated(session, end);
  };
  handler.on_offer = [this](sip::InviteSession& session, std::string_view offer) {
    return on_offer(session, offer);
  };
  handler.on_modify_offer = [this](sip::InviteSession& session, sip::Method method,
                                   std::string_view offer) {
    return on_modify_offer(session, method, offer);
  };
  handler.on_modified = [this](sip::InviteSession& session, sip::Method method, int status) {
    on_modified(session, method, status);
  };
  handler.on_info = [this](sip::InviteSession& session, const sip::Message& info) {
    on_info(session, info);
  };
  return handler;
}

storage::UnixSeconds B2bua::wall_now() const {
  if (wall_clock_) return wall_clock_();
  return storage::unix_now();
}

std::string B2bua::new_uuid() {
  // RFC 9562 version 4 layout.
  const std::uint64_t high = (rng_() & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const std::uint64_t low = (rng_() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

B2bua::Call* B2bua::call_of(const sip::InviteSession& session, Side* side) {
  auto leg = legs_.find(session.id());
  if (leg == legs_.end()) return nullptr;
  auto call = calls_.find(leg->second.call);
  if (call == calls_.end()) return nullptr;
  if (side) *side = leg->second.side;
  return call->second.get();
}

sip::InviteSession* B2bua::other_leg(Call& call, Side side) {
  if (side == Side::B) return sessions_.find(call.a_session);
  return call.winner ? sessions_.find(call.winner) : nullptr;
}

void B2bua::on_incoming(sip::InviteSession& a_leg, const sip::Message& invite) {
  if (!expected_caller_) {
    log_.warn("INVITE {} reached the B2BUA without an authenticated caller", invite.call_id());
    a_leg.reject(403);
    return;
  }
  const CallerIdentity caller = std::move(*expected_caller_);
  expected_caller_.reset();

  auto owned = std::make_unique<Call>();
  Call& call = *owned;
  call.id = next_call_++;
  call.started = timers_.now();
  call.a_session = a_leg.id();
  call.domain = caller.domain;
  call.record.call_id = new_uuid();
  call.record.chain_id = call.record.call_id;
  call.record.tenant_id = caller.tenant_id;
  call.record.caller = caller.number;
  call.record.caller_name = caller.display_name;
  call.record.start = wall_now();
  calls_.emplace(call.id, std::move(owned));
  legs_[a_leg.id()] = {call.id, Side::A};
  active_gauge_.add(1);

  const RouteDecision route = router_(caller, invite);
  call.record.callee = route.callee;
  log_.info("call {} {} -> {} ({})", call.record.call_id, caller.number, route.callee,
            invite.call_id());
  switch (route.kind) {
    case RouteDecision::Kind::NotFound:
      return fail_call(call, 404, storage::Disposition::NotFound, "not-found");
    case RouteDecision::Kind::Unavailable:
      return fail_call(call, 480, storage::Disposition::Unavailable, "unreachable");
    case RouteDecision::Kind::Forbidden:
      return fail_call(call, 403, storage::Disposition::Rejected, "forbidden");
    case RouteDecision::Kind::Ring:
      break;
  }
  if (!carries_sdp(invite)) {
    // An offerless INVITE needs the caller's answer in its ACK, after the callee's ACK has left:
    // bridging that needs an offer of our own to the callee (not built yet).
    return fail_call(call, 488, storage::Disposition::Failed, "late-offer");
  }
  if (!media_) return start_forks(call, std::string(invite.body()), route);
  const std::uint64_t call_id = call.id;
  std::optional<std::string> offer = anchor_offer(call, invite.body(), route);
  if (!offer) return;  // refused, and the call may be gone
  if (calls_.find(call_id) == calls_.end()) return;
  start_forks(call, *offer, route);
}

void B2bua::anchor_media(media::MediaEngine& engine, Poster post) {
  media_ = &engine;
  post_ = std::move(post);
}

std::optional<std::string> B2bua::anchor_offer(Call& call, std::string_view offer,
                                               const RouteDecision& route) {
  auto parsed = sdp::parse(offer);
  if (!parsed) {
    log_.info("call {}: the caller's SDP is malformed: {}", call.record.call_id,
              parsed.error().reason);
    fail_call(call, 488, storage::Disposition::Failed, "bad-sdp");
    return std::nullopt;
  }
  auto remote = relay_remote_of(parsed.value());
  if (!remote) {
    log_.info("call {}: the caller offers no usable audio stream", call.record.call_id);
    fail_call(call, 488, storage::Disposition::Failed, "no-audio");
    return std::nullopt;
  }
  const std::uint64_t call_id = call.id;
  std::weak_ptr<B2bua*> alive = alive_;
  Poster post = post_;
  call.relay = media_->create_relay([alive, post, call_id](media::RelayEvent event) {
    post([alive, call_id, event] {
      if (auto self = alive.lock()) (*self)->media_event(call_id, event);
    });
  });
  if (!call.relay) {
    fail_call(call, 503, storage::Disposition::Failed, "no-media-ports");
    return std::nullopt;
  }
  call.media_address[0] =
      media_->advertised_address_for(remote->rtp.valid() ? remote->rtp.ip() : std::string());
  call.media_address[1] = media_->advertised_address_for(
      route.targets.empty() ? std::string() : route.targets.front().destination.address);
  return relay_offer(call, Side::A, UsableSdp{std::move(parsed.value()), std::move(*remote)});
}

std::optional<B2bua::UsableSdp> B2bua::usable_sdp(const Call& call, Side from,
                                                  std::string_view text, const char* kind) {
  auto parsed = sdp::parse(text);
  std::optional<media::RelayRemote> remote;
  if (parsed) remote = relay_remote_of(parsed.value());
  if (!parsed || !remote) {
    log_.info("call {}: unusable SDP {} from the {}: {}", call.record.call_id, kind,
              from == Side::A ? "caller" : "callee",
              parsed ? "no audio stream" : parsed.error().reason);
    return std::nullopt;
  }
  return UsableSdp{std::move(parsed.value()), std::move(*remote)};
}

std::optional<std::string> B2bua::relay_offer(Call& call, Side from, std::string_view text) {
  if (!call.relay) return std::string(text);
  auto usable = usable_sdp(call, from, text, "offer");
  if (!usable) return std::nullopt;
  return relay_offer(call, from, std::move(*usable));
}

std::string B2bua::relay_offer(Call& call, Side from, UsableSdp offer) {
  const media::RelaySide relay_from = from == Side::A ? media::RelaySide::A : media::RelaySide::B;
  const media::RelaySide relay_to = media::other_side(relay_from);
  call.relay->set_remote(relay_from, offer.remote);
  call.offer = offer.sdp;
  offer_transcodable_codecs(offer.sdp);
  return anchored_sdp(offer.sdp, call.media_address[media::index_of(relay_to)],
                      call.relay->local_port(relay_to));
}

std::optional<std::string> B2bua::relay_answer(Call& call, Side from, std::string_view text) {
  if (!call.relay) return std::string(text);
  auto usable = usable_sdp(call, from, text, "answer");
  if (!usable) return std::nullopt;
  const media::RelaySide relay_from = from == Side::A ? media::RelaySide::A : media::RelaySide::B;
  const media::RelaySide relay_to = media::other_side(relay_from);
  call.relay->set_remote(relay_from, usable->remote);
  AnswerPlan plan = call.offer ? plan_answer(*call.offer, usable->sdp)
                               : AnswerPlan{std::move(usable->sdp), std::nullopt};
  std::optional<std::pair<media::LegCodec, media::LegCodec>> legs;
  if (plan.transcode) {
    // The plan names (offerer, answerer); the relay wants (A, B).
    legs = from == Side::B ? *plan.transcode
                           : std::make_pair(plan.transcode->second, plan.transcode->first);
  }
  if (legs || call.transcoding) {
    if (auto error = call.relay->set_transcoding(legs)) {
      log_.warn("call {}: cannot transcode: {}", call.record.call_id, *error);
      return std::nullopt;
    }
    if (legs) {
      log_.info("call {}: transcoding {} <-> {}", call.record.call_id,
                media::codec_info(legs->first.codec).encoding_name,
                media::codec_info(legs->second.codec).encoding_name);
    }
    call.transcoding = legs.has_value();
  }
  return anchored_sdp(plan.answer, call.media_address[media::index_of(relay_to)],
                      call.relay->local_port(relay_to));
}

void B2bua::media_event(std::uint64_t call_id, const media::RelayEvent& event) {
  auto found = calls_.find(call_id);
  if (found == calls_.end()) return;
  Call& call = *found->second;
  if (event.kind == media::RelayEventKind::Digit) {
    note_digit(call, event.side, event.digit, event.duration_ms,
               event.inband ? "in-band" : "RFC 4733");
    return;
  }
  const media::RelaySide side = event.side;
  // Ringing calls end by their ring timeout; early media may well be silent.
  if (!call.winner || call.a_done || call.winner_done || call.media_timed_out) return;
  log_.warn("call {}: no RTP from the {} for {} ms; ending the call", call.record.call_id,
            side == media::RelaySide::A ? "caller" : "callee",
            media_->config().rtp_timeout.count());
  call.media_timed_out = true;
  call.record.ended_by = "system";
  call.record.end_reason = "rtp-timeout";
  const std::uint64_t a_session = call.a_session;
  const std::uint64_t winner = call.winner;
  if (sip::InviteSession* leg = sessions_.find(winner)) leg->hangup();
  if (calls_.find(call_id) == calls_.end()) return;
  if (sip::InviteSession* leg = sessions_.find(a_session)) leg->hangup();
}

void B2bua::start_recording(Call& call) {
  media::RecordingFileFormat format = media::RecordingFileFormat::Wav;
  std::string extension = "wav";
  if (config_.recording_format == "opus") {
    format = media::RecordingFileFormat::OggOpus;
    extension = "opus";
  } else if (config_.recording_format == "mp3") {
    format = media::RecordingFileFormat::Mp3;
    extension = "mp3";
  }
  // <dir>/<YYYYMMDD>-<call id>: sortable by day, unique by call.
  const std::time_t start = static_cast<std::time_t>(call.record.start);
  std::tm day{};
  gmtime_r(&start, &day);
  char date[16];
  std::strftime(date, sizeof date, "%Y%m%d", &day);
  call.record.recording =
      config_.recording_dir + "/" + date + "-" + call.record.call_id + "." + extension;
  call.relay->start_recording(call.record.recording, format);
  log_.info("call {}: recording to {}", call.record.call_id, call.record.recording);
}

void B2bua::record_media_quality(Call& call) {
  if (!call.relay) return;
  auto fill = [](storage::MediaQuality& quality, const media::RelayLegStats& stats) {
    quality.packets = stats.packets_in;
    quality.lost = stats.lost_in;
    quality.jitter_ms = (stats.max_jitter_in_us + 500) / 1000;
    quality.reported_lost = stats.reported_lost;
  };
  call.record.media_anchored = true;
  fill(call.record.caller_media, call.relay->stats(media::RelaySide::A));
  fill(call.record.callee_media, call.relay->stats(media::RelaySide::B));
}

void B2bua::start_forks(Call& call, const std::string& offer, const RouteDecision& route) {
  const std::uint64_t call_id = call.id;
  sip::OutgoingCall out;
  out.from = party(call.record.caller, call.domain, call.record.caller_name);
  out.to = party(route.callee, call.domain, route.callee_display);
  out.offer = offer;
  std::vector<int> failed;
  for (const ForkTarget& target : route.targets) {
    out.request_uri = target.request_uri;
    out.destination = target.destination;
    out.contact = target.contact;
    out.extra_headers.clear();
    for (const std::string& hop : target.path) out.extra_headers.emplace_back("Route", hop);
    // A leg that fails at once ends here, before legs_ knows it: no callback reaches the call.
    sip::InviteSession* leg = sessions_.invite(out);
    if (!leg || leg->state() == sip::InviteSessionState::Terminated) {
      failed.push_back(leg && leg->end() ? fork_status(*leg->end()) : 503);
      continue;
    }
    legs_[leg->id()] = {call_id, Side::B};
    call.forks.push_back(leg->id());
  }
  call.fork_statuses = std::move(failed);
  if (call.forks.empty()) {
    const int status = choose_final_status(call.fork_statuses);
    return fail_call(call, status, disposition_for_status(status), "no-contact-reached");
  }
  log_.debug("call {} rings {} contact(s)", call.record.call_id, call.forks.size());
  call.ring_timer =
      timers_.schedule(config_.ring_timeout, [this, call_id] { ring_timeout(call_id); });
}

void B2bua::on_provisional(sip::InviteSession& b_leg, const sip::Message& response) {
  Side side = Side::A;
  Call* call = call_of(b_leg, &side);
  if (!call || side != Side::B || call->winner || call->final_sent) return;
  const int status = response.status();
  if (status != 180 && status != 183) return;
  if (call->provisional_sent == status) return;
  sip::InviteSession* a_leg = sessions_.find(call->a_session);
  if (!a_leg) return;
  call->provisional_sent = status;
  if (status == 180) {
    a_leg->ring();
    return;
  }
  // Early media (announcements, ringback from a far network): the caller hears what the
  // callee's SDP points to, through the relay when the call is anchored.
  std::optional<std::string> early;
  if (sip::is_sdp_content_type(response.content_type()) && !response.body().empty()) {
    early = relay_answer(*call, Side::B, response.body());
  }
  a_leg->progress(early ? std::string_view(*early) : std::string_view());
}

void B2bua::on_established(sip::InviteSession& session) {
  Side side = Side::A;
  Call* call = call_of(session, &side);
  if (!call) return;
  if (side == Side::B) answered(*call, session);
}

void B2bua::answered(Call& call, sip::InviteSession& winner) {
  if (call.winner != 0 || call.a_done || call.final_sent) {
    winner.hangup();  // a second fork answered, or the caller is gone: BYE
    return;
  }
  call.winner = winner.id();
  timers_.cancel(call.ring_timer);
  call.ring_timer = base::kNoTimer;
  call.answered_at = timers_.now();
  call.record.answer = wall_now();
  log_.info("call {} answered", call.record.call_id);
  if (call.relay && config_.record_calls) start_recording(call);
  cancel_forks(call, winner.id());
  if (sip::InviteSession* a_leg = sessions_.find(call.a_session)) a_leg->accept();
}

std::optional<std::string> B2bua::on_offer(sip::InviteSession& session, std::string_view offer) {
  (void)offer;
  Side side = Side::A;
  Call* call = call_of(session, &side);
  if (!call || side != Side::A || !call->winner) return std::nullopt;
  sip::InviteSession* winner = sessions_.find(call->winner);
  if (!winner || winner->offer_answer().remote_sdp().empty()) return std::nullopt;
  return relay_answer(*call, Side::B, winner->offer_answer().remote_sdp());
}

bool B2bua::on_modify_offer(sip::InviteSession& session, sip::Method method,
                            std::string_view offer) {
  Side side = Side::A;
  Call* call = call_of(session, &side);
  if (!call || !call->winner) return false;
  sip::InviteSession* other = other_leg(*call, side);
  if (!other || other->state() != sip::InviteSessionState::Established || call->relaying) {
    session.reject_modify(491, "Request Pending");
    return true;
  }
  std::optional<std::string> relayed = relay_offer(*call, side, offer);
  if (!relayed) {
    session.reject_modify(488);
    return true;
  }
  const bool sent = method == sip::Method::Invite ? other->reinvite(std::move(*relayed))
                                                  : other->update(std::move(*relayed));
  if (!sent) {
    session.reject_modify(491, "Request Pending");
    return true;
  }
  call->relaying = side;
  return true;
}

void B2bua::on_modified(sip::InviteSession& session, sip::Method method, int status) {
  (void)method;
  Side side = Side::A;
  Call* call = call_of(session, &side);
  if (!call || !call->relaying || *call->relaying == side) return;
  const Side held_side = *call->relaying;
  call->relaying.reset();
  sip::InviteSession* held =
      held_side == Side::A ? sessions_.find(call->a_session) : sessions_.find(call->winner);
  if (!held) return;
  std::optional<std::string> answer;
  if (status >= 200 && status < 300 && !session.offer_answer().remote_sdp().empty()) {
    answer = relay_answer(*call, side, session.offer_answer().remote_sdp());
  }
  if (answer) {
    held->answer_modify(std::move(*answer));
  } else if (status >= 200 && status < 300) {
    held->reject_modify(488);
  } else {
    held->reject_modify(status >= 300 ? status : 500);
  }
}

void B2bua::on_info(sip::InviteSession& session, const sip::Message& info) {
  Side side = Side::A;
  Call* call = call_of(session, &side);
  if (!call) return;
  const std::string_view type = info.content_type();
  if (type != "application/dtmf-relay" && type != "application/dtmf") return;
  std::optional<char> digit;
  std::uint32_t duration_ms = 0;
  if (type == "application/dtmf-relay") {
    if (auto relay = media::parse_dtmf_relay(info.body())) {
      digit = relay.value().signal;
      duration_ms = relay.value().duration_ms.value_or(0);
    }
  } else if (auto plain = media::parse_dtmf_body(info.body())) {
    digit = plain.value();
  }
  if (!digit) {
    log_.info("call {}: unreadable {} INFO from the {}", call->record.call_id, type,
              side == Side::A ? "caller" : "callee");
    return;
  }
  note_digit(*call, side == Side::A ? media::RelaySide::A : media::RelaySide::B, *digit,
             duration_ms, "SIP INFO");
  sip_info_digits_.inc();
  // A phone that sends its keys as INFO mostly expects the other side to take them that way too.
  if (sip::InviteSession* other = other_leg(*call, side)) {
    other->send_in_dialog("INFO", std::string(type), std::string(info.body()));
  }
}

void B2bua::note_digit(Call& call, media::RelaySide side, char digit, std::uint32_t duration_ms,
                       std::string_view how) {
  const bool caller = side == media::RelaySide::A;
  std::string& digits = caller ? call.caller_digits : call.callee_digits;
  constexpr std::size_t kKeptDigits = 64;
  if (digits.size() == kKeptDigits) digits.erase(0, 1);
  digits.push_back(digit);
  log_.info("call {}: the {} pressed {} ({}, {} ms)", call.record.call_id,
            caller ? "caller" : "callee", digit, how, duration_ms);
}

void B2bua::on_terminated(sip::InviteSession& session, const sip::SessionEnd& end) {
  Side side = Side::A;
  Call* call = call_of(session, &side);
  if (!call) return;
  legs_.erase(session.id());
  if (side == Side::A) {
    a_leg_ended(*call, end);
  } else {
    b_leg_ended(*call, session.id(), end);
  }
}

void B2bua::a_leg_ended(Call& call, const sip::SessionEnd& end) {
  const std::uint64_t call_id = call.id;  // ending the other leg may finish the call meanwhile
  call.a_done = true;
  if (call.winner) {
    if (!call.winner_done && !call.media_timed_out) {
      call.record.ended_by = end.reason == sip::SessionEndReason::RemoteBye ? "caller" : "system";
      call.record.end_reason = end_reason_text(end);
      if (sip::InviteSession* winner = sessions_.find(call.winner)) winner->hangup();
    }
  } else if (!call.final_sent) {
    // The caller gave up (CANCEL) or its INVITE failed before any fork answered.
    call.final_sent = true;
    call.record.end = wall_now();
    call.record.disposition = storage::Disposition::Cancelled;
    call.record.sip_status = 487;
    call.record.ended_by = end.reason == sip::SessionEndReason::Cancelled ? "caller" : "system";
    call.record.end_reason = end_reason_text(end);
    timers_.cancel(call.ring_timer);
    call.ring_timer = base::kNoTimer;
    cancel_forks(call, 0);
  }
  finish_if_done(call_id);
}

void B2bua::b_leg_ended(Call& call, std::uint64_t session_id, const sip::SessionEnd& end) {
  const std::uint64_t call_id = call.id;
  std::erase(call.forks, session_id);
  if (session_id == call.winner) {
    call.winner_done = true;
    if (!call.a_done && !call.media_timed_out) {
      call.record.ended_by = end.reason == sip::SessionEndReason::RemoteBye ? "callee" : "system";
      call.record.end_reason = end_reason_text(end);
      if (sip::InviteSession* a_leg = sessions_.find(call.a_session)) a_leg->hangup();
    }
  } else if (!call.winner) {
    call.fork_statuses.push_back(fork_status(end));
    if (call.forks.empty() && !call.final_sent && !call.a_done) {
      const int status = choose_final_status(call.fork_statuses);
      return fail_call(call, status, disposition_for_status(status),
                       status == 487 ? "cancel" : "callee-rejected");
    }
  }
  finish_if_done(call_id);
}

void B2bua::ring_timeout(std::uint64_t call_id) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) return;
  Call& call = *it->second;
  call.ring_timer = base::kNoTimer;
  if (call.winner || call.final_sent) return;
  log_.info("call {} not answered within {} s", call.record.call_id, config_.ring_timeout.count());
  fail_call(call, 480, storage::Disposition::NoAnswer, "ring-timeout");
}

void B2bua::fail_call(Call& call, int status, storage::Disposition disposition,
                      std::string reason) {
  call.final_sent = true;
  call.record.end = wall_now();  // for the caller the call ends now, whatever the forks still do
  call.record.sip_status = status;
  call.record.disposition = disposition;
  call.record.end_reason = std::move(reason);
  call.record.ended_by =
      disposition == storage::Disposition::Busy || disposition == storage::Disposition::Rejected
          ? "callee"
          : "system";
  timers_.cancel(call.ring_timer);
  call.ring_timer = base::kNoTimer;
  const std::uint64_t call_id = call.id;
  const std::uint64_t a_session = call.a_session;
  cancel_forks(call, 0);
  if (calls_.find(call_id) == calls_.end()) return;
  if (sip::InviteSession* a_leg = sessions_.find(a_session)) {
    // Reason phrases as the caller's phone shows them.
    a_leg->reject(status, status == 480 && disposition == storage::Disposition::NoAnswer
                              ? "No Answer"
                              : std::string_view{});
  }
}

void B2bua::cancel_forks(Call& call, std::uint64_t except_session) {
  const std::vector<std::uint64_t> forks = call.forks;  // hangup() may end a fork at once
  for (std::uint64_t id : forks) {
    if (id == except_session) continue;
    if (sip::InviteSession* leg = sessions_.find(id)) leg->hangup();
  }
}

void B2bua::finish_if_done(std::uint64_t call_id) {
  auto found = calls_.find(call_id);
  if (found == calls_.end()) return;
  Call& call = *found->second;
  if (!call.a_done || !call.forks.empty()) return;
  const base::TimePoint now = timers_.now();
  record_media_quality(call);
  storage::CallRecord record = std::move(call.record);
  if (record.end == 0) record.end = wall_now();
  if (call.winner) {
    record.disposition = storage::Disposition::Answered;
    record.sip_status = 200;
    record.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - call.answered_at).count();
  }
  timers_.cancel(call.ring_timer);
  for (auto it = legs_.begin(); it != legs_.end();) {
    it = it->second.call == call.id ? legs_.erase(it) : std::next(it);
  }
  calls_.erase(call.id);
  active_gauge_.add(-1);
  metrics_
      .counter("calls_total", "Calls ended, by disposition",
               {{"disposition", storage::disposition_name(record.disposition)}})
      .inc();
  log_.info("call {} ended: {} ({}, by {}, {} ms)", record.call_id,
            storage::disposition_name(record.disposition), record.end_reason, record.ended_by,
            record.duration_ms);
  if (cdr_) cdr_(std::move(record));
}

std::vector<CallInfo> B2bua::calls() const {
  std::vector<CallInfo> out;
  for (const auto& [id, call] : calls_) {
    CallInfo info;
    info.call_id = call->record.call_id;
    info.chain_id = call->record.chain_id;
    info.tenant_id = call->record.tenant_id;
    info.caller = call->record.caller;
    info.callee = call->record.callee;
    info.state = call->winner ? "answered" : "ringing";
    info.start = call->record.start;
    info.answer = call->record.answer;
    info.forks = call->winner ? 0 : call->forks.size();
    info.caller_digits = call->caller_digits;
    info.callee_digits = call->callee_digits;
    out.push_back(std::move(info));
  }
  return out;
}

void B2bua::hangup_all() {
  std::vector<std::uint64_t> sessions;
  for (const auto& [session, leg] : legs_) sessions.push_back(session);
  for (std::uint64_t id : sessions) {
    if (sip::InviteSession* session = sessions_.find(id)) session->hangup();
  }
}

}  // namespace kolokol::call
