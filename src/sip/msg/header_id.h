#pragma once

#include <cstdint>
#include <string_view>

namespace kolokol::sip {

// Headers the stack looks at. Lookup is case-insensitive and accepts the compact forms of
// RFC 3261 section 7.3.3 and later RFCs (i, m, e, l, c, f, s, k, t, v, o, u, r, b, x, y).
enum class HeaderId : std::uint8_t {
  Other,
  Accept,
  AcceptEncoding,
  AcceptLanguage,
  AlertInfo,
  Allow,
  AllowEvents,
  Authorization,
  CallId,
  CallInfo,
  Contact,
  ContentDisposition,
  ContentEncoding,
  ContentLanguage,
  ContentLength,
  ContentType,
  CSeq,
  Date,
  Diversion,
  ErrorInfo,
  Event,
  Expires,
  From,
  InReplyTo,
  MaxForwards,
  MimeVersion,
  MinExpires,
  MinSE,
  Organization,
  Path,
  PAssertedIdentity,
  PPreferredIdentity,
  Priority,
  Privacy,
  ProxyAuthenticate,
  ProxyAuthorization,
  ProxyRequire,
  RAck,
  ReasonHeader,
  RecordRoute,
  ReferredBy,
  ReferTo,
  RemotePartyId,
  Replaces,
  ReplyTo,
  Require,
  RetryAfter,
  Route,
  RSeq,
  Server,
  SessionExpires,
  Subject,
  SubscriptionState,
  Supported,
  Timestamp,
  To,
  Unsupported,
  UserAgent,
  Via,
  Warning,
  WwwAuthenticate,
  Identity,  // RFC 8224, compact form y
  Count_     // number of ids; keep last
};

HeaderId header_id_from_name(std::string_view name);  // Other when unknown
std::string_view canonical_header_name(
    HeaderId id);  // "" for Other, e.g. "Call-ID", "CSeq", "WWW-Authenticate"

// Headers whose value is a comma-separated list (RFC 3261 section 7.3.1) and may therefore be
// split and combined. Via, Contact, Route, Record-Route, Allow, Supported, Require, Accept, ...
bool header_is_list(HeaderId id);
// Headers that may appear at most once: Call-ID, CSeq, From, To, Max-Forwards, Content-Length,
// Content-Type, Expires, ... (used to reject RFC 4475 multi01).
bool header_is_single(HeaderId id);

}  // namespace kolokol::sip
