#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kolokol::sdp {

// The SDP model of RFC 8866. Every field keeps what the parser read, so parse(serialize(x)) == x;
// the serializer writes lines in the order of RFC 8866 section 5 whatever order the input had.
// "v=" is not stored: its only legal value is 0.

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct Origin {
  std::string username = "-";
  // Kept as text: the grammar is 1*DIGIT and some user agents use more digits than 64 bits hold.
  std::string session_id = "0";
  std::uint64_t session_version = 0;
  std::string net_type = "IN";
  std::string addr_type = "IP4";
  std::string address = "127.0.0.1";
  bool operator==(const Origin&) const = default;
};

// c=<nettype> <addrtype> <connection-address>. For IP4/IP6 the "/ttl" and "/count" suffixes of
// multicast addresses are split off; other address types keep the whole text in address.
struct Connection {
  std::string net_type = "IN";
  std::string addr_type = "IP4";
  std::string address;
  std::optional<std::uint32_t> ttl;            // IP4 multicast only
  std::optional<std::uint32_t> address_count;  // "/<number of addresses>"
  bool is_ipv6() const { return addr_type == "IP6"; }
  // RFC 3264 8.4: the legacy way to say "do not send me media" (0.0.0.0, or :: for IPv6).
  bool is_unspecified() const { return address == "0.0.0.0" || address == "::"; }
  bool operator==(const Connection&) const = default;
};

// b=<bwtype>:<bandwidth> (AS and CT in kbit/s, TIAS in bit/s, others as defined by their RFC).
struct Bandwidth {
  std::string type;
  std::uint64_t value = 0;
  bool operator==(const Bandwidth&) const = default;
};

// r=<repeat interval> <active duration> <offsets from start-time>, typed times as written ("7d").
struct RepeatTime {
  std::string interval;
  std::string duration;
  std::vector<std::string> offsets;
  bool operator==(const RepeatTime&) const = default;
};

// One "<adjustment time> <offset>" pair of a z= line.
struct ZoneAdjustment {
  std::string time;
  std::string offset;  // typed time, may start with '-'
  bool operator==(const ZoneAdjustment&) const = default;
};

// t=<start-time> <stop-time> with the r= lines after it and the z= line that closes it (RFC 8866
// puts z= inside the time description; RFC 4566 after the last one, which is the same text).
struct Timing {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;
  std::vector<RepeatTime> repeats;
  std::vector<ZoneAdjustment> zone_adjustments;
  bool operator==(const Timing&) const = default;
};

// a=<name> (property attribute, no value) or a=<name>:<value> (value may be empty).
struct Attribute {
  std::string name;
  std::optional<std::string> value;
  bool operator==(const Attribute&) const = default;
};

using Attributes = std::vector<Attribute>;

// m=<media> <port>[/<number of ports>] <proto> <fmt> ... and the lines that follow it.
struct MediaDescription {
  std::string media = "audio";
  std::uint16_t port = 0;  // 0 = rejected or disabled stream (RFC 3264)
  std::optional<std::uint16_t> port_count;
  std::string proto = "RTP/AVP";
  std::vector<std::string> formats;
  std::optional<std::string> title;     // i=
  std::vector<Connection> connections;  // c= (more than one only for layered multicast)
  std::vector<Bandwidth> bandwidths;    // b=
  std::optional<std::string> key;       // k= (obsolete, kept for round trips)
  Attributes attributes;                // a=, in order, unknown ones included

  bool rejected() const { return port == 0; }
  bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription {
  Origin origin;
  std::string name = "-";                  // s= (may be " " or, tolerated, empty)
  std::optional<std::string> information;  // i=
  std::optional<std::string> uri;          // u=
  std::vector<std::string> emails;         // e=
  std::vector<std::string> phones;         // p=
  std::optional<Connection> connection;    // session-level c=
  std::vector<Bandwidth> bandwidths;
  std::vector<Timing> timings = {Timing{}};  // at least one; the parser adds t=0 0 if missing
  std::optional<std::string> key;
  Attributes attributes;
  std::vector<MediaDescription> media;

  // The c= that applies to a stream: its own first one, else the session's; nullptr if none.
  const Connection* connection_for(const MediaDescription& m) const {
    if (!m.connections.empty()) return &m.connections.front();
    return connection ? &*connection : nullptr;
  }
  bool operator==(const SessionDescription&) const = default;
};

}  // namespace kolokol::sdp
