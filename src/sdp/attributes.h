#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/session_description.h"

// Typed views of the attributes the offer/answer engine and the media layer read. Everything
// stays stored as plain Attribute values (so unknown ones and the original order survive);
// these functions only read or rewrite them. Attribute names compare case-insensitively.
namespace kolokol::sdp {

const Attribute* find_attribute(const Attributes& attributes, std::string_view name);
std::vector<const Attribute*> find_attributes(const Attributes& attributes, std::string_view name);
bool has_attribute(const Attributes& attributes, std::string_view name);
// Value of the first attribute of that name; empty if absent or a property attribute.
std::optional<std::string> attribute_value(const Attributes& attributes, std::string_view name);
void remove_attributes(Attributes& attributes, std::string_view name);

// ---- Direction (RFC 3264 5.1, 6.1)
enum class Direction : std::uint8_t { SendRecv, SendOnly, RecvOnly, Inactive };

std::string_view to_string(Direction d);
std::optional<Direction> direction_from_string(std::string_view name);
constexpr bool sends(Direction d) {
  return d == Direction::SendRecv || d == Direction::SendOnly;
}
constexpr bool receives(Direction d) {
  return d == Direction::SendRecv || d == Direction::RecvOnly;
}
constexpr Direction make_direction(bool send, bool receive) {
  if (send) return receive ? Direction::SendRecv : Direction::SendOnly;
  return receive ? Direction::RecvOnly : Direction::Inactive;
}
// The direction as the other side sees it: sendonly <-> recvonly.
constexpr Direction reversed(Direction d) {
  return make_direction(receives(d), sends(d));
}

// The direction attribute in the list, if any (the last one wins when several were written).
std::optional<Direction> direction_attribute(const Attributes& attributes);
// Media-level attribute, else session-level, else sendrecv (RFC 8866 6.7).
Direction direction_of(const SessionDescription& sdp, const MediaDescription& m);
// What the description's author is willing to do once RFC 3264 8.4's legacy hold is taken into
// account: a c= address of 0.0.0.0 (or ::) means "do not send to me", unless ICE is in use
// (a=ice-ufrag), where 0.0.0.0 is only the placeholder of RFC 8839.
Direction effective_direction(const SessionDescription& sdp, const MediaDescription& m);
// Replaces the stream's direction attributes by one for d. sendrecv is written only when
// write_sendrecv or when a session-level direction attribute would otherwise apply.
void set_direction(const SessionDescription& sdp, MediaDescription& m, Direction d,
                   bool write_sendrecv = false);

// ---- rtpmap / fmtp (RFC 8866 6.6, 6.15)
struct Rtpmap {
  std::uint8_t payload_type = 0;
  std::string encoding_name;
  std::uint32_t clock_rate = 0;
  std::optional<std::uint32_t> channels;  // "encoding parameters" of audio
  bool operator==(const Rtpmap&) const = default;
};
std::optional<Rtpmap> parse_rtpmap(std::string_view value);
std::string to_string(const Rtpmap& r);  // attribute value: "97 iLBC/8000"
std::optional<Rtpmap> rtpmap_for(const MediaDescription& m, std::uint8_t payload_type);

struct Fmtp {
  std::string format;
  std::string parameters;
  bool operator==(const Fmtp&) const = default;
};
std::optional<Fmtp> parse_fmtp(std::string_view value);
std::optional<std::string> fmtp_for(const MediaDescription& m, std::string_view format);

// ---- ptime / maxptime (milliseconds; fractional values are truncated)
std::optional<std::uint32_t> ptime(const MediaDescription& m);
std::optional<std::uint32_t> maxptime(const MediaDescription& m);

// ---- rtcp (RFC 3605), rtcp-mux (RFC 5761)
struct Rtcp {
  std::uint16_t port = 0;
  std::optional<Connection> connection;  // "IN IP4 192.0.2.1" part, if present
  bool operator==(const Rtcp&) const = default;
};
std::optional<Rtcp> parse_rtcp(std::string_view value);
std::optional<Rtcp> rtcp(const MediaDescription& m);
bool rtcp_mux(const MediaDescription& m);

// ---- crypto (RFC 4568): a=crypto:<tag> <suite> <key-params> [<session-params>...]
struct Crypto {
  std::uint32_t tag = 0;
  std::string suite;
  std::vector<std::string> key_params;  // "inline:<key||salt>[|lifetime][|MKI:length]", ';'-split
  std::vector<std::string> session_params;
  bool operator==(const Crypto&) const = default;
};
std::optional<Crypto> parse_crypto(std::string_view value);
std::string to_string(const Crypto& c);
std::vector<Crypto> cryptos(const MediaDescription& m);

// ---- mid (RFC 5888) and group (RFC 5888 / 9143 BUNDLE)
struct Group {
  std::string semantics;  // "BUNDLE", "LS", "FID", ...
  std::vector<std::string> mids;
  bool operator==(const Group&) const = default;
};
std::optional<Group> parse_group(std::string_view value);
std::vector<Group> groups(const SessionDescription& sdp);
std::optional<std::string> mid(const MediaDescription& m);

// setup (RFC 4145) and fingerprint (RFC 8122) stay plain attributes: attribute_value(.., "setup").

}  // namespace kolokol::sdp
