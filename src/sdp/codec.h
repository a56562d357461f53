#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/session_description.h"

namespace kolokol::sdp {

// An RTP payload format as offer/answer sees it: what a=rtpmap and a=fmtp say about one format
// of an m= line (or what RFC 3551's static table says when a static payload type has no rtpmap).
struct Codec {
  std::uint8_t payload_type = 0;
  std::string encoding_name;  // "PCMU", "opus", "telephone-event"; compared case-insensitively
  std::uint32_t clock_rate = 8000;
  std::uint32_t channels = 1;
  std::string fmtp;  // a=fmtp parameters, "" for none

  static Codec telephone_event(std::uint8_t payload_type, std::uint32_t clock_rate = 8000,
                               std::string events = "0-16") {
    return Codec{payload_type, "telephone-event", clock_rate, 1, std::move(events)};
  }
  bool operator==(const Codec&) const = default;
};

// Same payload format: encoding name, clock rate and channel count (RFC 3264 6.1). fmtp does
// not take part; the answer carries each side's own parameters.
bool same_format(const Codec& a, const Codec& b);
bool is_telephone_event(const Codec& c);
// Formats that ride along a media codec but are never one themselves (DTMF events, comfort
// noise, redundancy and repair streams): a stream needs at least one other format to be useful.
bool is_auxiliary(const Codec& c);

// RFC 3551 static payload types 0-34 (audio and video); empty for unassigned or dynamic numbers.
std::optional<Codec> static_codec(std::uint8_t payload_type);

// The RTP formats of the stream in m= order, described by rtpmap/fmtp or the static table.
// Formats that are not RTP payload numbers, or dynamic numbers without rtpmap, are skipped.
std::vector<Codec> codecs_of(const MediaDescription& m);

// Appends the format to m=, with its a=rtpmap and (if fmtp is not empty) a=fmtp.
void add_codec(MediaDescription& m, const Codec& c);

}  // namespace kolokol::sdp
