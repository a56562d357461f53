#include "sdp/offer.h"

#include "sdp/text.h"

namespace kolokol::sdp {

SessionDescription session_skeleton(const LocalCapabilities& local) {
  SessionDescription sdp;
  sdp.origin =
      Origin{local.username,
             local.session_id,
             local.session_version,
             local.connection.net_type,
             local.connection.addr_type,
             local.origin_address.empty() ? local.connection.address : local.origin_address};
  sdp.name = local.session_name;
  sdp.connection = local.connection;
  sdp.timings = {Timing{}};
  return sdp;
}

MediaDescription disabled_copy(const MediaDescription& m) {
  MediaDescription copy;
  copy.media = m.media;
  copy.port = 0;
  copy.proto = m.proto;
  if (m.formats.empty()) return copy;
  copy.formats = {m.formats.front()};
  for (const Attribute& a : m.attributes) {
    if (!a.value || !text::iequals(a.name, "rtpmap")) continue;
    if (auto r = parse_rtpmap(*a.value); r && std::to_string(r->payload_type) == m.formats[0]) {
      copy.attributes.push_back(a);
      break;
    }
  }
  return copy;
}

MediaDescription media_section(const SessionDescription& sdp, const MediaCapabilities& caps,
                               const std::vector<Codec>& codecs, Direction direction, bool rtcp_mux,
                               bool write_sendrecv) {
  MediaDescription m;
  m.media = caps.media;
  m.port = caps.port;
  m.proto = caps.proto;
  for (const Codec& c : codecs) add_codec(m, c);
  if (caps.port == 0) return m;
  if (caps.connection) m.connections.push_back(*caps.connection);
  m.bandwidths = caps.bandwidths;
  if (caps.ptime) m.attributes.push_back({"ptime", std::to_string(*caps.ptime)});
  if (caps.maxptime) m.attributes.push_back({"maxptime", std::to_string(*caps.maxptime)});
  if (rtcp_mux) m.attributes.push_back({"rtcp-mux", std::nullopt});
  set_direction(sdp, m, direction, write_sendrecv);
  m.attributes.insert(m.attributes.end(), caps.attributes.begin(), caps.attributes.end());
  return m;
}

SessionDescription follow_version(const SessionDescription& previous, SessionDescription next) {
  next.origin = previous.origin;
  if (next != previous) ++next.origin.session_version;
  return next;
}

SessionDescription build_offer(const LocalCapabilities& local, const SessionDescription* previous) {
  SessionDescription sdp = session_skeleton(local);
  for (const MediaCapabilities& caps : local.media) {
    sdp.media.push_back(
        media_section(sdp, caps, caps.codecs, caps.direction, caps.rtcp_mux, local.write_sendrecv));
  }
  if (previous == nullptr) return sdp;
  for (std::size_t i = sdp.media.size(); i < previous->media.size(); ++i) {
    sdp.media.push_back(disabled_copy(previous->media[i]));
  }
  return follow_version(*previous, std::move(sdp));
}

}  // namespace kolokol::sdp
