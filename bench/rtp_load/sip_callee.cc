// The callee side of SipAgent: answer every INVITE at once (180, then 200 with SDP, resent
// until the ACK) and the BYE that ends it.

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>

#include "sdp_text.h"
#include "sip_agent.h"
#include "sip_agent_state.h"

namespace kolokol::rtpload {

void SipAgent::on_new_invite(int fd, const sip::Message& invite, const sockaddr_in& from) {
  if (fd != callee_fd_) {
    respond(fd, invite, from, 481);  // the callers' socket only takes answers
    return;
  }
  if (next_callee_endpoint_ >= options_.calls) {
    respond(fd, invite, from, 486);
    count_failure("callee: more INVITEs than --calls");
    return;
  }
  const auto offer = read_audio(invite.body());
  const auto payload_type = offer ? choose_g711(offer->payload_types) : std::nullopt;
  if (!payload_type) {
    respond(fd, invite, from, 488);
    count_failure("callee: INVITE without a G.711 offer");
    return;
  }
  auto call = std::make_unique<IncomingCall>();
  call->endpoint = &endpoints_[2 * next_callee_endpoint_++ + 1];
  call->to_tag = ids_.tag();
  call->callee_user = invite.request_uri().user;
  call->answer_sdp =
      make_sdp(call->callee_user, call->endpoint->id, call->endpoint->port, {*payload_type});

  // Today the PBX passes SDP through, so the offer names the caller's own RTP port; once it
  // anchors media, the offer names its relay.
  const Endpoint* offered_by = endpoints_.by_port(ntohs(offer->address.sin_port));
  const bool direct = offered_by && offered_by->caller_side &&
                      offer->address.sin_addr.s_addr == htonl(INADDR_LOOPBACK);
  ++(direct ? counters_.offers_direct : counters_.offers_relayed);

  respond(fd, invite, from, 180, call->to_tag, nullptr, call->callee_user);
  sip::Message ok = sip::make_response(invite, 200, {}, call->to_tag);
  ok.add_header(sip::HeaderId::Contact,
                "<sip:" + call->callee_user + "@127.0.0.1:" + std::to_string(callee_port_) + ">");
  ok.set_body("application/sdp", call->answer_sdp);
  send_now(call->ok, ok.to_string(), fd, from, false);
  call->endpoint->start_sending(offer->address, static_cast<std::uint8_t>(*payload_type));
  incoming_[std::string(invite.call_id())] = std::move(call);
}

void SipAgent::on_callee_request(IncomingCall& call, int fd, const sip::Message& request,
                                 const sockaddr_in& from) {
  switch (request.method()) {
    case sip::Method::Invite:
      if (request.to() && request.to()->tag()) {  // a re-INVITE: same answer
        respond(fd, request, from, 200, {}, &call.answer_sdp, call.callee_user);
      } else {
        sendto(fd, call.ok.text.data(), call.ok.text.size(), 0,
               reinterpret_cast<const sockaddr*>(&from), sizeof from);
      }
      return;
    case sip::Method::Ack:
      call.acked = true;
      call.ok.active = false;
      return;
    case sip::Method::Bye:
      respond(fd, request, from, 200);
      if (!call.ended) {
        call.ended = true;
        ++counters_.bye_received;
        call.endpoint->sending.store(false, std::memory_order_relaxed);
      }
      return;
    case sip::Method::Update:
      respond(fd, request, from, 200, {}, request.body().empty() ? nullptr : &call.answer_sdp,
              call.callee_user);
      return;
    default:
      respond(fd, request, from, 200);
  }
}

std::size_t SipAgent::callee_dialogs_open() const {
  return std::count_if(incoming_.begin(), incoming_.end(),
                       [](const auto& entry) { return !entry.second->ended; });
}

}  // namespace kolokol::rtpload
