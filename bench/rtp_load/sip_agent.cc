#include "sip_agent.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "sip_agent_state.h"

namespace kolokol::rtpload {

namespace {

constexpr Clock::duration kT1 = std::chrono::milliseconds(500);
constexpr Clock::duration kT2 = std::chrono::seconds(4);
constexpr int kSipBufferBytes = 4 << 20;

}  // namespace

SipAgent::SipAgent(const LoadOptions& options, EndpointSet& endpoints)
    : options_(options), endpoints_(endpoints), receive_buffer_(65536) {}

SipAgent::~SipAgent() {
  if (caller_fd_ >= 0) close(caller_fd_);
  if (callee_fd_ >= 0) close(callee_fd_);
}

base::Expected<std::unique_ptr<SipAgent>, std::string> SipAgent::open(const LoadOptions& options,
                                                                      EndpointSet& endpoints) {
  std::unique_ptr<SipAgent> agent(new SipAgent(options, endpoints));
  auto proxy = parse_host_port(options.proxy);
  if (!proxy) return base::unexpected(proxy.error());
  agent->proxy_ = *proxy;
  auto caller = open_udp_socket(0, kSipBufferBytes);
  if (!caller) return base::unexpected(caller.error());
  agent->caller_fd_ = *caller;
  auto callee = open_udp_socket(0, kSipBufferBytes);
  if (!callee) return base::unexpected(callee.error());
  agent->callee_fd_ = *callee;
  agent->caller_port_ = local_port(agent->caller_fd_);
  agent->callee_port_ = local_port(agent->callee_fd_);
  return agent;
}

void SipAgent::poll(std::chrono::milliseconds wait) {
  pollfd fds[2] = {{caller_fd_, POLLIN, 0}, {callee_fd_, POLLIN, 0}};
  if (::poll(fds, 2, static_cast<int>(wait.count())) > 0) {
    if (fds[0].revents & POLLIN) receive_all(caller_fd_);
    if (fds[1].revents & POLLIN) receive_all(callee_fd_);
  }
  const auto now = Clock::now();
  if (now - last_timer_run_ >= std::chrono::milliseconds(20)) {
    last_timer_run_ = now;
    run_timers();
  }
}

void SipAgent::receive_all(int fd) {
  for (int i = 0; i < 256; ++i) {
    sockaddr_in from{};
    socklen_t from_length = sizeof from;
    const ssize_t size = recvfrom(fd, receive_buffer_.data(), receive_buffer_.size(), MSG_DONTWAIT,
                                  reinterpret_cast<sockaddr*>(&from), &from_length);
    if (size <= 0) return;
    on_datagram(fd, std::string_view(receive_buffer_.data(), static_cast<std::size_t>(size)), from);
  }
}

void SipAgent::on_datagram(int fd, std::string_view bytes, const sockaddr_in& from) {
  if (bytes.find_first_not_of("\r\n") == std::string_view::npos) return;  // keep-alive
  auto parsed = sip::parse_message(bytes);
  if (!parsed || parsed->defect() || !parsed->cseq()) {
    ++counters_.unparsable;
    return;
  }
  if (parsed->is_response()) {
    on_response(*parsed);
  } else {
    on_request(fd, *parsed, from);
  }
}

void SipAgent::on_response(const sip::Message& response) {
  const std::string call_id(response.call_id());
  const sip::Method method = response.cseq()->method;
  if (method == sip::Method::Register) {
    if (auto found = registration_by_call_id_.find(call_id);
        found != registration_by_call_id_.end()) {
      on_register_response(*found->second, response);
    }
    return;
  }
  const auto found = outgoing_by_call_id_.find(call_id);
  if (found == outgoing_by_call_id_.end()) return;
  if (method == sip::Method::Invite) on_invite_response(*found->second, response);
  if (method == sip::Method::Bye) on_bye_response(*found->second, response);
}

void SipAgent::on_request(int fd, const sip::Message& request, const sockaddr_in& from) {
  const std::string call_id(request.call_id());
  if (auto found = incoming_.find(call_id); found != incoming_.end()) {
    on_callee_request(*found->second, fd, request, from);
  } else if (auto outgoing = outgoing_by_call_id_.find(call_id);
             outgoing != outgoing_by_call_id_.end()) {
    on_caller_request(*outgoing->second, fd, request, from);
  } else if (request.method() == sip::Method::Invite) {
    on_new_invite(fd, request, from);
  } else if (request.method() != sip::Method::Ack) {
    respond(fd, request, from, request.method() == sip::Method::Options ? 200 : 481);
  }
}

void SipAgent::run_timers() {
  const auto now = Clock::now();
  for (auto& registration : registrations_) {
    if (registration->state == Registration::State::Pending && resend_due(registration->txn, now)) {
      registration->state = Registration::State::Failed;
      count_failure("REGISTER timeout");
    }
  }
  for (auto& call : outgoing_) {
    if (!resend_due(call->txn, now)) continue;
    if (call->state == OutgoingCall::State::Hanging) {
      call->state = OutgoingCall::State::Ended;
      count_failure("BYE timeout");
    } else if (call->state == OutgoingCall::State::Inviting) {
      fail(*call, call->provisional ? "INVITE no final answer" : "INVITE timeout");
    }
  }
  for (auto& [call_id, call] : incoming_) {
    if (!call->acked && resend_due(call->ok, now)) count_failure("callee 200 never ACKed");
  }
}

std::string SipAgent::via(int fd) {
  const std::uint16_t port = fd == caller_fd_ ? caller_port_ : callee_port_;
  return "SIP/2.0/UDP 127.0.0.1:" + std::to_string(port) + ";branch=" + ids_.branch() + ";rport";
}

void SipAgent::send_now(Retransmit& txn, std::string text, int fd, const sockaddr_in& to,
                        bool invite) {
  txn.text = std::move(text);
  txn.fd = fd;
  txn.to = to;
  txn.active = true;
  txn.cap_at_t2 = !invite;
  txn.interval = kT1;
  const auto now = Clock::now();
  txn.next = now + kT1;
  txn.deadline = now + 64 * kT1;
  sendto(fd, txn.text.data(), txn.text.size(), 0, reinterpret_cast<const sockaddr*>(&to),
         sizeof to);
}

bool SipAgent::resend_due(Retransmit& txn, Clock::time_point now) {
  if (!txn.active) return false;
  if (now >= txn.deadline) {
    txn.active = false;
    return true;
  }
  if (now < txn.next) return false;
  sendto(txn.fd, txn.text.data(), txn.text.size(), 0, reinterpret_cast<const sockaddr*>(&txn.to),
         sizeof txn.to);
  ++counters_.retransmissions;
  txn.interval *= 2;
  if (txn.cap_at_t2) txn.interval = std::min(txn.interval, kT2);
  txn.next = now + txn.interval;
  return false;
}

void SipAgent::respond(int fd, const sip::Message& request, const sockaddr_in& to, int status,
                       std::string_view to_tag, const std::string* sdp,
                       std::string_view contact_user) {
  sip::Message response = sip::make_response(request, status, {}, to_tag);
  if (!contact_user.empty()) {
    const std::uint16_t port = fd == caller_fd_ ? caller_port_ : callee_port_;
    response.add_header(sip::HeaderId::Contact, "<sip:" + std::string(contact_user) +
                                                    "@127.0.0.1:" + std::to_string(port) + ">");
  }
  if (sdp) response.set_body("application/sdp", *sdp);
  const std::string text = response.to_string();
  sendto(fd, text.data(), text.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
}

// ---- registration of the callees ------------------------------------------------------------

void SipAgent::register_callees() {
  for (const Account& account : options_.callees) {
    auto registration = std::make_unique<Registration>();
    registration->account = &account;
    registration->call_id = ids_.call_id("rtp_load");
    registration->from_tag = ids_.tag();
    registration->auth = std::make_unique<sip::DigestClient>(account.user, account.password);
    registration_by_call_id_[registration->call_id] = registration.get();
    send_register(*registration);
    registrations_.push_back(std::move(registration));
  }
}

void SipAgent::send_register(Registration& registration) {
  auto uri = sip::parse_uri("sip:" + options_.domain);
  sip::Message request = sip::Message::request(sip::Method::Register, *uri);
  const std::string aor = "<sip:" + registration.account->user + "@" + options_.domain + ">";
  request.add_header(sip::HeaderId::Via, via(callee_fd_));
  request.add_header(sip::HeaderId::MaxForwards, "70");
  request.add_header(sip::HeaderId::From, aor + ";tag=" + registration.from_tag);
  request.add_header(sip::HeaderId::To, aor);
  request.add_header(sip::HeaderId::CallId, registration.call_id);
  request.add_header(sip::HeaderId::CSeq, std::to_string(++registration.cseq) + " REGISTER");
  request.add_header(sip::HeaderId::Contact, "<sip:" + registration.account->user + "@127.0.0.1:" +
                                                 std::to_string(callee_port_) + ">");
  request.add_header(sip::HeaderId::Expires, "3600");
  request.add_header(sip::HeaderId::UserAgent, "rtp_load");
  registration.auth->authorize(request);
  send_now(registration.txn, request.to_string(), callee_fd_, proxy_, false);
}

void SipAgent::on_register_response(Registration& registration, const sip::Message& response) {
  if (registration.state != Registration::State::Pending ||
      response.cseq()->number != registration.cseq || response.status() < 200) {
    return;
  }
  registration.txn.active = false;
  const int status = response.status();
  if (status >= 200 && status < 300) {
    registration.state = Registration::State::Done;
    return;
  }
  if ((status == 401 || status == 407) && ++registration.challenges <= 3) {
    const auto outcome = registration.auth->on_challenge(response);
    if (outcome == sip::DigestClient::ChallengeOutcome::Retry ||
        outcome == sip::DigestClient::ChallengeOutcome::RetryStale) {
      send_register(registration);
      return;
    }
  }
  registration.state = Registration::State::Failed;
  count_failure("REGISTER " + std::to_string(status));
}

std::size_t SipAgent::registrations_pending() const {
  return std::count_if(registrations_.begin(), registrations_.end(),
                       [](const auto& r) { return r->state == Registration::State::Pending; });
}

std::size_t SipAgent::registrations_failed() const {
  return std::count_if(registrations_.begin(), registrations_.end(),
                       [](const auto& r) { return r->state == Registration::State::Failed; });
}

}  // namespace kolokol::rtpload
