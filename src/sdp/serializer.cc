#include "sdp/serializer.h"

namespace kolokol::sdp {

namespace {

// Line breaks and NULs inside a value (only possible in a hand-built model) are dropped so that a
// field can never inject lines of its own.
void line(std::string& out, char type, std::string_view value) {
  out.push_back(type);
  out.push_back('=');
  for (char c : value) {
    if (c != '\r' && c != '\n' && c != '\0') out.push_back(c);
  }
  out.append("\r\n");
}

void bandwidth_lines(std::string& out, const std::vector<Bandwidth>& bandwidths) {
  for (const Bandwidth& b : bandwidths) line(out, 'b', b.type + ":" + std::to_string(b.value));
}

void attribute_lines(std::string& out, const Attributes& attributes) {
  for (const Attribute& a : attributes) {
    line(out, 'a', a.value ? a.name + ":" + *a.value : a.name);
  }
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out.push_back(' ');
    out += p;
  }
  return out;
}

void timing_lines(std::string& out, const Timing& t) {
  line(out, 't', std::to_string(t.start) + " " + std::to_string(t.stop));
  for (const RepeatTime& r : t.repeats) {
    std::string value = r.interval + " " + r.duration;
    for (const std::string& o : r.offsets) value += " " + o;
    line(out, 'r', value);
  }
  if (!t.zone_adjustments.empty()) {
    std::string value;
    for (const ZoneAdjustment& z : t.zone_adjustments) {
      if (!value.empty()) value.push_back(' ');
      value += z.time + " " + z.offset;
    }
    line(out, 'z', value);
  }
}

void media_lines(std::string& out, const MediaDescription& m) {
  std::string value = m.media + " " + std::to_string(m.port);
  if (m.port_count) value += "/" + std::to_string(*m.port_count);
  value += " " + m.proto;
  if (!m.formats.empty()) value += " " + join(m.formats);
  line(out, 'm', value);
  if (m.title) line(out, 'i', *m.title);
  for (const Connection& c : m.connections) line(out, 'c', to_string(c));
  bandwidth_lines(out, m.bandwidths);
  if (m.key) line(out, 'k', *m.key);
  attribute_lines(out, m.attributes);
}

}  // namespace

std::string to_string(const Connection& c) {
  std::string out = c.net_type + " " + c.addr_type + " " + c.address;
  if (c.ttl) out += "/" + std::to_string(*c.ttl);
  if (c.address_count) out += "/" + std::to_string(*c.address_count);
  return out;
}

std::string serialize(const SessionDescription& sdp) {
  std::string out;
  out.reserve(512 + 256 * sdp.media.size());
  line(out, 'v', "0");
  const Origin& o = sdp.origin;
  line(out, 'o',
       o.username + " " + o.session_id + " " + std::to_string(o.session_version) + " " +
           o.net_type + " " + o.addr_type + " " + o.address);
  line(out, 's', sdp.name);
  if (sdp.information) line(out, 'i', *sdp.information);
  if (sdp.uri) line(out, 'u', *sdp.uri);
  for (const std::string& e : sdp.emails) line(out, 'e', e);
  for (const std::string& p : sdp.phones) line(out, 'p', p);
  if (sdp.connection) line(out, 'c', to_string(*sdp.connection));
  bandwidth_lines(out, sdp.bandwidths);
  if (sdp.timings.empty()) line(out, 't', "0 0");
  for (const Timing& t : sdp.timings) timing_lines(out, t);
  if (sdp.key) line(out, 'k', *sdp.key);
  attribute_lines(out, sdp.attributes);
  for (const MediaDescription& m : sdp.media) media_lines(out, m);
  return out;
}

}  // namespace kolokol::sdp
