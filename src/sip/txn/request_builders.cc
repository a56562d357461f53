#include "sip/txn/request_builders.h"

#include <string>

namespace kolokol::sip {
namespace {

void copy_header(const Message& from, Message& to, HeaderId id) {
  if (const Header* header = from.find(id)) to.add_header(id, header->value);
}

// The headers ACK and CANCEL share with the request they refer to.
Message make_in_transaction_request(Method method, const Message& request) {
  Message out = Message::request(method, request.request_uri());
  if (const Via* via = request.top_via()) out.add_header(HeaderId::Via, via->to_string());
  for (std::string_view route : request.values(HeaderId::Route)) {
    out.add_header(HeaderId::Route, route);
  }
  out.add_header(HeaderId::MaxForwards, "70");
  copy_header(request, out, HeaderId::From);
  copy_header(request, out, HeaderId::CallId);
  CSeq cseq;
  cseq.number = request.cseq() != nullptr ? request.cseq()->number : 0;
  cseq.method = method;
  cseq.method_text = std::string(method_name(method));
  out.set_cseq(cseq);
  return out;
}

}  // namespace

Message make_ack_for_non_2xx(const Message& invite, const Message& response) {
  Message ack = make_in_transaction_request(Method::Ack, invite);
  if (const Header* to = response.find(HeaderId::To)) {
    ack.set_header(HeaderId::To, to->value);
  } else {
    copy_header(invite, ack, HeaderId::To);
  }
  return ack;
}

Message make_cancel(const Message& request) {
  Message cancel = make_in_transaction_request(Method::Cancel, request);
  copy_header(request, cancel, HeaderId::To);
  return cancel;
}

}  // namespace kolokol::sip
