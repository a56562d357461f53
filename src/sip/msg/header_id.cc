#include "sip/msg/header_id.h"

#include <array>
#include <cstddef>

#include "sip/msg/scan.h"

namespace kolokol::sip {
namespace {

constexpr std::size_t kCount = static_cast<std::size_t>(HeaderId::Count_);

// Indexed by HeaderId; the static_assert below keeps it in step with the enum.
constexpr std::array<std::string_view, kCount> kNames{
    "",
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Authorization",
    "Call-ID",
    "Call-Info",
    "Contact",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Date",
    "Diversion",
    "Error-Info",
    "Event",
    "Expires",
    "From",
    "In-Reply-To",
    "Max-Forwards",
    "MIME-Version",
    "Min-Expires",
    "Min-SE",
    "Organization",
    "Path",
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Priority",
    "Privacy",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "RAck",
    "Reason",
    "Record-Route",
    "Referred-By",
    "Refer-To",
    "Remote-Party-ID",
    "Replaces",
    "Reply-To",
    "Require",
    "Retry-After",
    "Route",
    "RSeq",
    "Server",
    "Session-Expires",
    "Subject",
    "Subscription-State",
    "Supported",
    "Timestamp",
    "To",
    "Unsupported",
    "User-Agent",
    "Via",
    "Warning",
    "WWW-Authenticate",
    "Identity",
};
static_assert(kNames[static_cast<std::size_t>(HeaderId::WwwAuthenticate)] == "WWW-Authenticate");
static_assert(kNames[static_cast<std::size_t>(HeaderId::MaxForwards)] == "Max-Forwards");

HeaderId compact_form(char c) {
  switch (detail::ascii_lower(c)) {
    case 'i':
      return HeaderId::CallId;
    case 'm':
      return HeaderId::Contact;
    case 'e':
      return HeaderId::ContentEncoding;
    case 'l':
      return HeaderId::ContentLength;
    case 'c':
      return HeaderId::ContentType;
    case 'f':
      return HeaderId::From;
    case 's':
      return HeaderId::Subject;
    case 'k':
      return HeaderId::Supported;
    case 't':
      return HeaderId::To;
    case 'v':
      return HeaderId::Via;
    case 'o':
      return HeaderId::Event;
    case 'u':
      return HeaderId::AllowEvents;
    case 'r':
      return HeaderId::ReferTo;
    case 'b':
      return HeaderId::ReferredBy;
    case 'x':
      return HeaderId::SessionExpires;
    case 'y':
      return HeaderId::Identity;
    default:
      return HeaderId::Other;
  }
}

// Header ids grouped by the lower-cased first letter of their name, so a lookup compares a
// handful of candidates instead of every name.
constexpr std::size_t kBucketSize = 12;
struct Buckets {
  std::array<std::array<std::uint8_t, kBucketSize>, 26> ids{};
  std::array<std::uint8_t, 26> size{};
};

constexpr Buckets make_buckets() {
  Buckets b;
  for (std::size_t i = 1; i < kCount; ++i) {
    const auto letter = static_cast<std::size_t>(detail::ascii_lower(kNames[i][0]) - 'a');
    b.ids[letter][b.size[letter]++] = static_cast<std::uint8_t>(i);
  }
  return b;
}
constexpr Buckets kBuckets = make_buckets();

}  // namespace

HeaderId header_id_from_name(std::string_view name) {
  if (name.size() == 1) return compact_form(name[0]);
  if (name.empty()) return HeaderId::Other;
  const char first = detail::ascii_lower(name[0]);
  if (first < 'a' || first > 'z') return HeaderId::Other;
  const auto letter = static_cast<std::size_t>(first - 'a');
  for (std::size_t k = 0; k < kBuckets.size[letter]; ++k) {
    const std::uint8_t i = kBuckets.ids[letter][k];
    if (kNames[i].size() == name.size() && detail::iequals(kNames[i], name)) {
      return static_cast<HeaderId>(i);
    }
  }
  return HeaderId::Other;
}

std::string_view canonical_header_name(HeaderId id) {
  const auto index = static_cast<std::size_t>(id);
  return index < kCount ? kNames[index] : std::string_view();
}

bool header_is_list(HeaderId id) {
  switch (id) {
    case HeaderId::Accept:
    case HeaderId::AcceptEncoding:
    case HeaderId::AcceptLanguage:
    case HeaderId::AlertInfo:
    case HeaderId::Allow:
    case HeaderId::AllowEvents:
    case HeaderId::CallInfo:
    case HeaderId::Contact:
    case HeaderId::ContentEncoding:
    case HeaderId::ContentLanguage:
    case HeaderId::Diversion:
    case HeaderId::ErrorInfo:
    case HeaderId::InReplyTo:
    case HeaderId::Path:
    case HeaderId::PAssertedIdentity:
    case HeaderId::PPreferredIdentity:
    case HeaderId::ProxyRequire:
    case HeaderId::ReasonHeader:
    case HeaderId::RecordRoute:
    case HeaderId::Require:
    case HeaderId::Route:
    case HeaderId::Supported:
    case HeaderId::Unsupported:
    case HeaderId::Via:
    case HeaderId::Warning:
      return true;
    default:
      return false;
  }
}

bool header_is_single(HeaderId id) {
  switch (id) {
    case HeaderId::CallId:
    case HeaderId::CSeq:
    case HeaderId::From:
    case HeaderId::To:
    case HeaderId::MaxForwards:
    case HeaderId::ContentLength:
    case HeaderId::ContentType:
    case HeaderId::Expires:
    case HeaderId::MinExpires:
    case HeaderId::MimeVersion:
    case HeaderId::RSeq:
    case HeaderId::RAck:
    case HeaderId::SessionExpires:
    case HeaderId::MinSE:
    case HeaderId::ReferTo:
    case HeaderId::Replaces:
    case HeaderId::Event:
    case HeaderId::SubscriptionState:
      return true;
    default:
      return false;
  }
}

}  // namespace kolokol::sip
