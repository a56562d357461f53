#include "call/sdp_anchoring.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

#include "sdp/attributes.h"
#include "sdp/serializer.h"

namespace kolokol::call {

namespace {

constexpr std::array<std::string_view, 7> kIceAttributes = {
    "candidate", "ice-ufrag",         "ice-pwd",          "ice-options",
    "ice-lite",  "end-of-candidates", "remote-candidates"};

bool is_live_audio(const sdp::MediaDescription& m) {
  return m.media == "audio" && !m.rejected() && m.proto.starts_with("RTP/");
}

// The clock of the stream's audio: its first format that is not RFC 4733 events or comfort
// noise (a phone may list telephone-event first; opus counts at 48 kHz, the events at 8).
std::uint32_t clock_rate_of(const sdp::MediaDescription& m) {
  for (const std::string& format : m.formats) {
    unsigned payload_type = 0;
    const auto [end, error] =
        std::from_chars(format.data(), format.data() + format.size(), payload_type);
    if (error != std::errc{} || end != format.data() + format.size() || payload_type > 127) {
      continue;
    }
    auto map = sdp::rtpmap_for(m, static_cast<std::uint8_t>(payload_type));
    if (!map) return 8000;  // the static audio types in use (0, 3, 4, 8, 9, 18) count at 8 kHz
    std::string name = map->encoding_name;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "telephone-event" || name == "cn") continue;
    // G.722 says 8000 for historical reasons and counts its timestamps that way too.
    return map->clock_rate > 0 ? map->clock_rate : 8000;
  }
  return 8000;
}

sdp::Connection connection_for(const std::string& address) {
  sdp::Connection c;
  c.address = address;
  c.addr_type = address.find(':') != std::string::npos ? "IP6" : "IP4";
  return c;
}

}  // namespace

std::optional<media::RelayRemote> relay_remote_of(const sdp::SessionDescription& sdp) {
  for (const sdp::MediaDescription& m : sdp.media) {
    if (!is_live_audio(m)) continue;
    const sdp::Connection* connection = sdp.connection_for(m);
    if (!connection) return std::nullopt;
    media::RelayRemote remote;
    remote.sends = sdp::sends(sdp::effective_direction(sdp, m)) && !connection->is_unspecified();
    if (auto address = media::UdpAddress::parse(connection->address, m.port)) {
      remote.rtp = *address;
    } else if (!connection->is_unspecified()) {
      return std::nullopt;  // a host name or garbage: nothing we can send to
    }
    remote.rtcp_mux = sdp::rtcp_mux(m);
    remote.encrypted = m.proto.find("SAVP") != std::string::npos;
    remote.rtcp = remote.rtp.valid() ? remote.rtp.with_port(m.port + 1) : media::UdpAddress{};
    if (auto rtcp = sdp::rtcp(m)) {
      const std::string& rtcp_address =
          rtcp->connection ? rtcp->connection->address : connection->address;
      if (auto address = media::UdpAddress::parse(rtcp_address, rtcp->port)) {
        remote.rtcp = *address;
      }
    }
    remote.clock_rate = clock_rate_of(m);
    for (const std::string& format : m.formats) {
      unsigned type = 0;
      const auto [end, error] = std::from_chars(format.data(), format.data() + format.size(), type);
      if (error != std::errc{} || end != format.data() + format.size() || type > 127) continue;
      media::RelayFormat described;
      described.payload_type = static_cast<std::uint8_t>(type);
      if (auto map = sdp::rtpmap_for(m, described.payload_type)) {
        described.encoding_name = map->encoding_name;
        described.clock_rate = map->clock_rate;
        described.channels = static_cast<std::uint8_t>(map->channels.value_or(0));
      }
      remote.formats.push_back(std::move(described));
    }
    return remote;
  }
  return std::nullopt;
}

std::string anchored_sdp(const sdp::SessionDescription& original, const std::string& address,
                         std::uint16_t port) {
  sdp::SessionDescription out = original;
  const sdp::Connection ours = connection_for(address);
  out.origin.address = ours.address;
  out.origin.addr_type = ours.addr_type;
  for (std::string_view name : kIceAttributes) sdp::remove_attributes(out.attributes, name);
  bool anchored = false;
  for (std::size_t i = 0; i < out.media.size(); ++i) {
    sdp::MediaDescription& m = out.media[i];
    for (std::string_view name : kIceAttributes) sdp::remove_attributes(m.attributes, name);
    if (anchored || !is_live_audio(m)) {
      m.port = 0;  // not relayed: disabled rather than leaking a direct path
      m.connections.clear();
      continue;
    }
    anchored = true;
    const sdp::Connection* theirs = original.connection_for(original.media[i]);
    const bool legacy_hold = theirs && theirs->is_unspecified();
    m.connections.clear();
    m.connections.push_back(legacy_hold ? *theirs : ours);
    m.port = port;
    m.port_count.reset();
    sdp::remove_attributes(m.attributes, "rtcp");  // ours is the default: port + 1
  }
  // Every stream carries its own c= now; a session-level one would only repeat it (and must
  // stay when a disabled stream has none, RFC 8866 5.7).
  out.connection = ours;
  return sdp::serialize(out);
}

}  // namespace kolokol::call
