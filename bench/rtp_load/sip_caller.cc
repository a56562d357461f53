// The caller side of SipAgent: INVITE (answering the 401/407 digest challenge), ACK, BYE.

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>

#include "sdp_text.h"
#include "sip_agent.h"
#include "sip_agent_state.h"

namespace kolokol::rtpload {

namespace {

void send_once(int fd, const std::string& text, const sockaddr_in& to) {
  sendto(fd, text.data(), text.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
}

}  // namespace

void SipAgent::start_call(std::size_t index) {
  auto call = std::make_unique<OutgoingCall>();
  call->index = index;
  call->caller = &options_.callers[index % options_.callers.size()];
  call->callee = &options_.callees[index % options_.callees.size()];
  call->endpoint = &endpoints_[2 * index];
  call->call_id = ids_.call_id("rtp_load");
  call->from_tag = ids_.tag();
  call->request_uri = "sip:" + call->callee->user + "@" + options_.domain;
  call->auth = std::make_unique<sip::DigestClient>(call->caller->user, call->caller->password);
  call->offer = make_sdp(call->caller->user, index + 1, call->endpoint->port, {0, 8});
  call->invited = Clock::now();
  outgoing_by_call_id_[call->call_id] = call.get();
  send_invite(*call);
  outgoing_.push_back(std::move(call));
  ++calls_started_;
}

void SipAgent::send_invite(OutgoingCall& call) {
  sip::Message request =
      sip::Message::request(sip::Method::Invite, *sip::parse_uri(call.request_uri));
  call.branch = ids_.branch();
  request.add_header(sip::HeaderId::Via, "SIP/2.0/UDP 127.0.0.1:" + std::to_string(caller_port_) +
                                             ";branch=" + call.branch + ";rport");
  request.add_header(sip::HeaderId::MaxForwards, "70");
  request.add_header(sip::HeaderId::From, "<sip:" + call.caller->user + "@" + options_.domain +
                                              ">;tag=" + call.from_tag);
  request.add_header(sip::HeaderId::To, "<" + call.request_uri + ">");
  request.add_header(sip::HeaderId::CallId, call.call_id);
  request.add_header(sip::HeaderId::CSeq, std::to_string(++call.cseq) + " INVITE");
  request.add_header(sip::HeaderId::Contact, "<sip:" + call.caller->user + "@127.0.0.1:" +
                                                 std::to_string(caller_port_) + ">");
  request.add_header(sip::HeaderId::Allow, "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE");
  request.add_header(sip::HeaderId::UserAgent, "rtp_load");
  call.auth->authorize(request);
  request.set_body("application/sdp", call.offer);
  call.provisional = false;
  send_now(call.txn, request.to_string(), caller_fd_, proxy_, true);
}

void SipAgent::on_invite_response(OutgoingCall& call, const sip::Message& response) {
  const int status = response.status();
  if (response.cseq()->number != call.cseq) return;  // an answer to a challenged INVITE
  if (status < 200) {
    if (call.state == OutgoingCall::State::Inviting && !call.provisional) {
      call.provisional = true;
      call.txn.next = call.txn.deadline;  // Timer A stops; Timer B still runs
    }
    return;
  }
  if (status < 300) {
    if (call.state == OutgoingCall::State::Inviting) {
      on_answered(call, response);
    } else if (!call.ack.empty()) {
      send_once(caller_fd_, call.ack, proxy_);  // the 2xx was resent: our ACK was lost
    }
    return;
  }
  ack_failure(call, response);
  if (call.state != OutgoingCall::State::Inviting) return;
  call.txn.active = false;
  if ((status == 401 || status == 407) && ++call.challenges <= 3) {
    const auto outcome = call.auth->on_challenge(response);
    if (outcome == sip::DigestClient::ChallengeOutcome::Retry ||
        outcome == sip::DigestClient::ChallengeOutcome::RetryStale) {
      send_invite(call);
      return;
    }
  }
  fail(call, "INVITE " + std::to_string(status));
}

// RFC 3261 17.1.1.3: the ACK of a non-2xx belongs to the INVITE's transaction (same branch) and
// carries the response's To.
void SipAgent::ack_failure(OutgoingCall& call, const sip::Message& response) {
  sip::Message ack = sip::Message::request(sip::Method::Ack, *sip::parse_uri(call.request_uri));
  ack.add_header(sip::HeaderId::Via, "SIP/2.0/UDP 127.0.0.1:" + std::to_string(caller_port_) +
                                         ";branch=" + call.branch + ";rport");
  ack.add_header(sip::HeaderId::MaxForwards, "70");
  ack.add_header(sip::HeaderId::From,
                 "<sip:" + call.caller->user + "@" + options_.domain + ">;tag=" + call.from_tag);
  if (const sip::Header* to = response.find(sip::HeaderId::To)) {
    ack.add_header(sip::HeaderId::To, to->value);
  }
  ack.add_header(sip::HeaderId::CallId, call.call_id);
  ack.add_header(sip::HeaderId::CSeq, std::to_string(call.cseq) + " ACK");
  send_once(caller_fd_, ack.to_string(), proxy_);
}

void SipAgent::on_answered(OutgoingCall& call, const sip::Message& response) {
  call.txn.active = false;
  if (const sip::NameAddr* to = response.to(); to && to->tag()) call.to_tag = *to->tag();
  const auto& contacts = response.contacts();
  call.remote_target = contacts.empty() ? call.request_uri : contacts.front().uri.to_string();
  call.route.clear();
  for (auto rr = response.record_routes().rbegin(); rr != response.record_routes().rend(); ++rr) {
    call.route.push_back(rr->to_string());
  }
  call.ack = in_dialog_request(call, sip::Method::Ack).to_string();
  send_once(caller_fd_, call.ack, proxy_);
  call.state = OutgoingCall::State::Up;

  const auto audio = read_audio(response.body());
  const auto payload_type = audio ? choose_g711(audio->payload_types) : std::nullopt;
  if (!payload_type) {
    call.bad_answer = true;
    count_failure("INVITE 2xx without G.711 SDP");
    return;
  }
  const Endpoint* answered_by = endpoints_.by_port(ntohs(audio->address.sin_port));
  const bool direct = answered_by && !answered_by->caller_side &&
                      audio->address.sin_addr.s_addr == htonl(INADDR_LOOPBACK);
  ++(direct ? counters_.answers_direct : counters_.answers_relayed);
  if (!call.endpoint->in_call.load(std::memory_order_relaxed)) {
    call.endpoint->start_sending(audio->address, static_cast<std::uint8_t>(*payload_type));
  }
  setup_ms_.push_back(
      std::chrono::duration<double, std::milli>(Clock::now() - call.invited).count());
}

sip::Message SipAgent::in_dialog_request(OutgoingCall& call, sip::Method method) {
  auto target = sip::parse_uri(call.remote_target);
  if (!target) target = sip::parse_uri(call.request_uri);
  sip::Message request = sip::Message::request(method, *target);
  request.add_header(sip::HeaderId::Via, via(caller_fd_));
  for (const std::string& route : call.route) request.add_header(sip::HeaderId::Route, route);
  request.add_header(sip::HeaderId::MaxForwards, "70");
  request.add_header(sip::HeaderId::From, "<sip:" + call.caller->user + "@" + options_.domain +
                                              ">;tag=" + call.from_tag);
  request.add_header(sip::HeaderId::To, "<" + call.request_uri + ">;tag=" + call.to_tag);
  request.add_header(sip::HeaderId::CallId, call.call_id);
  const std::uint32_t cseq = method == sip::Method::Ack ? call.cseq : ++call.cseq;
  request.add_header(sip::HeaderId::CSeq,
                     std::to_string(cseq) + " " + std::string(sip::method_name(method)));
  return request;
}

void SipAgent::hang_up(std::size_t index) {
  if (index >= outgoing_.size()) return;
  OutgoingCall& call = *outgoing_[index];
  call.endpoint->sending.store(false, std::memory_order_relaxed);
  if (call.state == OutgoingCall::State::Inviting) {
    fail(call, "INVITE unanswered at hang-up");
    return;
  }
  if (call.state != OutgoingCall::State::Up) return;
  call.state = OutgoingCall::State::Hanging;
  send_now(call.txn, in_dialog_request(call, sip::Method::Bye).to_string(), caller_fd_, proxy_,
           false);
}

void SipAgent::on_bye_response(OutgoingCall& call, const sip::Message& response) {
  if (call.state != OutgoingCall::State::Hanging || response.cseq()->number != call.cseq ||
      response.status() < 200) {
    return;
  }
  call.txn.active = false;
  call.state = OutgoingCall::State::Ended;
  if (response.status() >= 300) count_failure("BYE " + std::to_string(response.status()));
}

void SipAgent::fail(OutgoingCall& call, std::string reason) {
  call.state = OutgoingCall::State::Failed;
  call.txn.active = false;
  count_failure(reason);
}

// Requests the PBX sends the caller inside its dialog: a session refresh, or the end of the
// call (a relay that timed the media out, say).
void SipAgent::on_caller_request(OutgoingCall& call, int fd, const sip::Message& request,
                                 const sockaddr_in& from) {
  switch (request.method()) {
    case sip::Method::Ack:
      return;
    case sip::Method::Invite:
    case sip::Method::Update:
      respond(fd, request, from, 200, {}, request.body().empty() ? nullptr : &call.offer,
              call.caller->user);
      return;
    case sip::Method::Bye:
      respond(fd, request, from, 200);
      if (call.state == OutgoingCall::State::Up) {
        call.endpoint->sending.store(false, std::memory_order_relaxed);
        call.state = OutgoingCall::State::Ended;
        ++counters_.pbx_hangups;
        count_failure("BYE from the PBX during the call");
      }
      return;
    default:
      respond(fd, request, from, 200);
  }
}

std::size_t SipAgent::calls_up() const {
  return setup_ms_.size();
}

std::size_t SipAgent::calls_failed() const {
  return std::count_if(outgoing_.begin(), outgoing_.end(), [](const auto& call) {
    return call->state == OutgoingCall::State::Failed || call->bad_answer;
  });
}

std::size_t SipAgent::calls_setting_up() const {
  return std::count_if(outgoing_.begin(), outgoing_.end(), [](const auto& call) {
    return call->state == OutgoingCall::State::Inviting;
  });
}

std::size_t SipAgent::hangups_pending() const {
  return std::count_if(outgoing_.begin(), outgoing_.end(), [](const auto& call) {
    return call->state == OutgoingCall::State::Hanging;
  });
}

}  // namespace kolokol::rtpload
