#include "sip/msg/message.h"

namespace kolokol::sip {
namespace {

struct ReasonPhrase {
  int status;
  std::string_view text;
};

// RFC 3261 section 21 plus the codes of later RFCs a PBX meets.
constexpr ReasonPhrase kReasons[] = {
    {100, "Trying"},
    {180, "Ringing"},
    {181, "Call Is Being Forwarded"},
    {182, "Queued"},
    {183, "Session Progress"},
    {199, "Early Dialog Terminated"},
    {200, "OK"},
    {202, "Accepted"},
    {204, "No Notification"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Moved Temporarily"},
    {305, "Use Proxy"},
    {380, "Alternative Service"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {410, "Gone"},
    {412, "Conditional Request Failed"},
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Unsupported URI Scheme"},
    {420, "Bad Extension"},
    {421, "Extension Required"},
    {422, "Session Interval Too Small"},
    {423, "Interval Too Brief"},
    {428, "Use Identity Header"},
    {429, "Provide Referrer Identity"},
    {439, "First Hop Lacks Outbound Support"},
    {440, "Max-Breadth Exceeded"},
    {469, "Bad Info Package"},
    {470, "Consent Needed"},
    {480, "Temporarily Unavailable"},
    {481, "Call/Transaction Does Not Exist"},
    {482, "Loop Detected"},
    {483, "Too Many Hops"},
    {484, "Address Incomplete"},
    {485, "Ambiguous"},
    {486, "Busy Here"},
    {487, "Request Terminated"},
    {488, "Not Acceptable Here"},
    {489, "Bad Event"},
    {491, "Request Pending"},
    {493, "Undecipherable"},
    {494, "Security Agreement Required"},
    {500, "Server Internal Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Server Time-out"},
    {505, "Version Not Supported"},
    {513, "Message Too Large"},
    {580, "Precondition Failure"},
    {600, "Busy Everywhere"},
    {603, "Decline"},
    {604, "Does Not Exist Anywhere"},
    {606, "Not Acceptable"},
    {607, "Unwanted"},
    {608, "Rejected"},
};

bool creates_dialog(Method method) {
  return method == Method::Invite || method == Method::Subscribe || method == Method::Refer;
}

bool has_tag(const Message& request, std::string_view to_text) {
  if (const NameAddr* to = request.to()) return to->tag().has_value();
  return to_text.find(";tag=") != std::string_view::npos;
}

}  // namespace

std::string_view default_reason(int status) {
  for (const ReasonPhrase& r : kReasons) {
    if (r.status == status) return r.text;
  }
  return "Unknown";
}

Message make_response(const Message& request, int status, std::string_view reason,
                      std::string_view to_tag) {
  Message response = Message::response(status, reason);
  for (const Header& h : request.headers()) {
    if (h.id == HeaderId::Via) response.add_header(HeaderId::Via, h.value);
  }
  if (status > 100 && status < 300 && creates_dialog(request.method())) {
    for (const Header& h : request.headers()) {
      if (h.id == HeaderId::RecordRoute) response.add_header(HeaderId::RecordRoute, h.value);
    }
  }
  if (const Header* from = request.find(HeaderId::From)) {
    response.add_header(HeaderId::From, from->value);
  }
  if (const Header* to = request.find(HeaderId::To)) {
    if (!to_tag.empty() && !has_tag(request, to->value)) {
      std::string value(to->value);
      value += ";tag=";
      value += to_tag;
      response.add_header(HeaderId::To, value);
    } else {
      response.add_header(HeaderId::To, to->value);
    }
  }
  if (const Header* call_id = request.find(HeaderId::CallId)) {
    response.add_header(HeaderId::CallId, call_id->value);
  }
  if (const Header* cseq = request.find(HeaderId::CSeq)) {
    response.add_header(HeaderId::CSeq, cseq->value);
  }
  if (status == 100) {  // RFC 3261 8.2.6.1
    if (const Header* ts = request.find(HeaderId::Timestamp)) {
      response.add_header(HeaderId::Timestamp, ts->value);
    }
  }
  return response;
}

}  // namespace kolokol::sip
