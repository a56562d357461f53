#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "sip/dialog/dialog_id.h"
#include "sip/msg/message.h"
#include "sip/msg/name_addr.h"
#include "sip/msg/uri.h"

namespace kolokol::sip {

enum class DialogState : std::uint8_t { Early, Confirmed, Terminated };
std::string_view dialog_state_name(DialogState state);

// Requests that replace the remote target (RFC 3261 12.2, RFC 3311, RFC 6665).
bool is_target_refresh(Method method);

// The dialog state of RFC 3261 section 12: identity, CSeq spaces, route set, remote target.
// Pure data and rules; no timers, no transactions (InviteSession adds those).
class Dialog {
 public:
  // 12.1.2: the UAC side, from the request it sent and a 1xx carrying a To tag or a 2xx.
  // sent_over_tls tells whether the request left over TLS (secure flag with a sips R-URI).
  static base::Expected<Dialog, std::string> create_uac(const Message& request,
                                                        const Message& response,
                                                        bool sent_over_tls = false);
  // 12.1.1: the UAS side, from the received request, the tag we put in our To and the Contact we
  // send in our response.
  static base::Expected<Dialog, std::string> create_uas(const Message& request,
                                                        std::string_view local_tag,
                                                        const NameAddr& local_contact,
                                                        bool arrived_over_tls = false);

  const DialogId& id() const { return id_; }
  DialogState state() const { return state_; }
  bool is_uac() const { return is_uac_; }
  bool secure() const { return secure_; }
  void confirm() {
    if (state_ == DialogState::Early) state_ = DialogState::Confirmed;
  }
  void terminate() { state_ = DialogState::Terminated; }

  std::optional<std::uint32_t> local_cseq() const { return local_cseq_; }
  std::optional<std::uint32_t> remote_cseq() const { return remote_cseq_; }
  const NameAddr& local_party() const { return local_party_; }    // with the local tag
  const NameAddr& remote_party() const { return remote_party_; }  // with the remote tag
  const Uri& remote_target() const { return remote_target_; }
  const NameAddr& local_contact() const { return local_contact_; }
  void set_local_contact(NameAddr contact) { local_contact_ = std::move(contact); }
  const std::vector<NameAddr>& route_set() const { return route_set_; }

  // UAC: a later response of the dialog-creating transaction (13.2.2.4: the 2xx that confirms
  // an early dialog recomputes the route set) or a 2xx to a target refresh (12.2.1.2: new
  // remote target). Confirms the dialog on 2xx.
  void update_from_response(Method request_method, const Message& response);

  // 12.2.1.1: a new in-dialog request; the local CSeq is incremented (ACK and CANCEL are built
  // with make_ack / by the transaction user instead). Target refresh requests carry Contact.
  // No Via: the transaction layer adds it.
  Message make_request(Method method);
  Message make_request(std::string_view method_text);
  // ACK for a 2xx: the INVITE's CSeq number, same Request-URI and Route as any other request.
  Message make_ack(std::uint32_t invite_cseq) const;
  // The URI a request built by this dialog is first sent to: the first route, else the
  // Request-URI.
  Uri next_hop_uri(const Message& request) const;

  // 12.2.2: checks an incoming in-dialog request. Returns the response to reject it with
  // (500 + Retry-After for an out-of-order CSeq) or nothing when it is accepted, in which case
  // the remote CSeq is advanced and a target refresh replaces the remote target.
  std::optional<Message> check_request(const Message& request);

  // For tests and for re-creating a request after a 491 / 422 retry.
  void set_local_cseq(std::uint32_t cseq) { local_cseq_ = cseq; }

 private:
  Dialog() = default;
  void fill_request(Message& request, Method method, std::string_view method_text,
                    std::uint32_t cseq) const;

  DialogId id_;
  DialogState state_ = DialogState::Early;
  bool is_uac_ = false;
  bool secure_ = false;
  std::optional<std::uint32_t> local_cseq_;
  std::optional<std::uint32_t> remote_cseq_;
  NameAddr local_party_;
  NameAddr remote_party_;
  Uri remote_target_;
  NameAddr local_contact_;
  std::vector<NameAddr> route_set_;
};

// Copies every Record-Route URI of a message, in order (a Record-Route line may hold several).
std::vector<NameAddr> record_route_list(const Message& message);

}  // namespace kolokol::sip
