#include "sdp/attributes.h"

#include <algorithm>

#include "sdp/text.h"

namespace kolokol::sdp {

using text::iequals;
using text::parse_unsigned;
using text::split_fields;

const Attribute* find_attribute(const Attributes& attributes, std::string_view name) {
  for (const Attribute& a : attributes) {
    if (iequals(a.name, name)) return &a;
  }
  return nullptr;
}

std::vector<const Attribute*> find_attributes(const Attributes& attributes, std::string_view name) {
  std::vector<const Attribute*> found;
  for (const Attribute& a : attributes) {
    if (iequals(a.name, name)) found.push_back(&a);
  }
  return found;
}

bool has_attribute(const Attributes& attributes, std::string_view name) {
  return find_attribute(attributes, name) != nullptr;
}

std::optional<std::string> attribute_value(const Attributes& attributes, std::string_view name) {
  const Attribute* a = find_attribute(attributes, name);
  if (a == nullptr || !a->value) return std::nullopt;
  return *a->value;
}

void remove_attributes(Attributes& attributes, std::string_view name) {
  std::erase_if(attributes, [&](const Attribute& a) { return iequals(a.name, name); });
}

// ---- Direction

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::SendRecv:
      return "sendrecv";
    case Direction::SendOnly:
      return "sendonly";
    case Direction::RecvOnly:
      return "recvonly";
    case Direction::Inactive:
      return "inactive";
  }
  return "sendrecv";
}

std::optional<Direction> direction_from_string(std::string_view name) {
  for (Direction d :
       {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive}) {
    if (iequals(name, to_string(d))) return d;
  }
  return std::nullopt;
}

std::optional<Direction> direction_attribute(const Attributes& attributes) {
  std::optional<Direction> found;
  for (const Attribute& a : attributes) {
    if (auto d = direction_from_string(a.name)) found = d;
  }
  return found;
}

Direction direction_of(const SessionDescription& sdp, const MediaDescription& m) {
  if (auto d = direction_attribute(m.attributes)) return *d;
  if (auto d = direction_attribute(sdp.attributes)) return *d;
  return Direction::SendRecv;
}

Direction effective_direction(const SessionDescription& sdp, const MediaDescription& m) {
  const Direction d = direction_of(sdp, m);
  const Connection* c = sdp.connection_for(m);
  // With ICE (RFC 8839) 0.0.0.0 is only a placeholder: the candidates carry the addresses.
  const bool ice =
      has_attribute(m.attributes, "ice-ufrag") || has_attribute(sdp.attributes, "ice-ufrag");
  if (c != nullptr && c->is_unspecified() && !ice) return make_direction(sends(d), false);
  return d;
}

void set_direction(const SessionDescription& sdp, MediaDescription& m, Direction d,
                   bool write_sendrecv) {
  std::erase_if(m.attributes,
                [](const Attribute& a) { return direction_from_string(a.name).has_value(); });
  if (d == Direction::SendRecv && !write_sendrecv && !direction_attribute(sdp.attributes)) return;
  m.attributes.push_back(Attribute{std::string(to_string(d)), std::nullopt});
}

// ---- rtpmap / fmtp

std::optional<Rtpmap> parse_rtpmap(std::string_view value) {
  const auto f = split_fields(value);
  if (f.size() != 2) return std::nullopt;
  const auto pt = parse_unsigned<std::uint8_t>(f[0]);
  if (!pt || *pt > 127) return std::nullopt;
  const std::string_view spec = f[1];
  const std::size_t slash1 = spec.find('/');
  if (slash1 == std::string_view::npos || slash1 == 0) return std::nullopt;
  const std::size_t slash2 = spec.find('/', slash1 + 1);
  Rtpmap r;
  r.payload_type = *pt;
  r.encoding_name = std::string(spec.substr(0, slash1));
  const auto rate = parse_unsigned<std::uint32_t>(spec.substr(slash1 + 1, slash2 - slash1 - 1));
  if (!rate) return std::nullopt;
  r.clock_rate = *rate;
  if (slash2 != std::string_view::npos) {
    r.channels = parse_unsigned<std::uint32_t>(spec.substr(slash2 + 1));
    if (!r.channels) return std::nullopt;
  }
  return r;
}

std::string to_string(const Rtpmap& r) {
  std::string out =
      std::to_string(r.payload_type) + " " + r.encoding_name + "/" + std::to_string(r.clock_rate);
  if (r.channels) out += "/" + std::to_string(*r.channels);
  return out;
}

std::optional<Rtpmap> rtpmap_for(const MediaDescription& m, std::uint8_t payload_type) {
  for (const Attribute& a : m.attributes) {
    if (!a.value || !iequals(a.name, "rtpmap")) continue;
    auto r = parse_rtpmap(*a.value);
    if (r && r->payload_type == payload_type) return r;
  }
  return std::nullopt;
}

std::optional<Fmtp> parse_fmtp(std::string_view value) {
  value = text::trim(value);
  const std::size_t space = value.find_first_of(" \t");
  const std::string_view format = value.substr(0, space);
  if (!text::is_token(format)) return std::nullopt;
  const std::string_view params =
      space == std::string_view::npos ? std::string_view{} : text::trim(value.substr(space));
  return Fmtp{std::string(format), std::string(params)};
}

std::optional<std::string> fmtp_for(const MediaDescription& m, std::string_view format) {
  for (const Attribute& a : m.attributes) {
    if (!a.value || !iequals(a.name, "fmtp")) continue;
    auto f = parse_fmtp(*a.value);
    if (f && f->format == format) return std::move(f->parameters);
  }
  return std::nullopt;
}

// ---- ptime / maxptime

namespace {
std::optional<std::uint32_t> milliseconds(const MediaDescription& m, std::string_view name) {
  const Attribute* a = find_attribute(m.attributes, name);
  if (a == nullptr || !a->value) return std::nullopt;
  std::string_view v = text::trim(*a->value);
  v = v.substr(0, v.find('.'));  // "20.0" is seen in the wild
  return parse_unsigned<std::uint32_t>(v);
}
}  // namespace

std::optional<std::uint32_t> ptime(const MediaDescription& m) {
  return milliseconds(m, "ptime");
}
std::optional<std::uint32_t> maxptime(const MediaDescription& m) {
  return milliseconds(m, "maxptime");
}

// ---- rtcp / rtcp-mux

std::optional<Rtcp> parse_rtcp(std::string_view value) {
  const auto f = split_fields(value);
  if (f.size() != 1 && f.size() != 4) return std::nullopt;
  const auto port = parse_unsigned<std::uint16_t>(f[0]);
  if (!port) return std::nullopt;
  Rtcp r{*port, std::nullopt};
  if (f.size() == 4) {
    r.connection = Connection{std::string(f[1]), std::string(f[2]), std::string(f[3]), {}, {}};
  }
  return r;
}

std::optional<Rtcp> rtcp(const MediaDescription& m) {
  const Attribute* a = find_attribute(m.attributes, "rtcp");
  if (a == nullptr || !a->value) return std::nullopt;
  return parse_rtcp(*a->value);
}

bool rtcp_mux(const MediaDescription& m) {
  return has_attribute(m.attributes, "rtcp-mux");
}

// ---- crypto

namespace {
std::vector<std::string> split_on(std::string_view s, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find(separator, start);
    parts.emplace_back(s.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}
}  // namespace

std::optional<Crypto> parse_crypto(std::string_view value) {
  const auto f = split_fields(value);
  if (f.size() < 3) return std::nullopt;
  const auto tag = parse_unsigned<std::uint32_t>(f[0]);
  if (!tag || f[0].size() > 10 || !text::is_token(f[1])) return std::nullopt;
  Crypto c{*tag, std::string(f[1]), split_on(f[2], ';'), {}};
  for (const std::string& key_param : c.key_params) {
    if (key_param.find(':') == std::string::npos) return std::nullopt;  // <method>:<info>
  }
  for (std::size_t i = 3; i < f.size(); ++i) c.session_params.emplace_back(f[i]);
  return c;
}

std::string to_string(const Crypto& c) {
  std::string out = std::to_string(c.tag) + " " + c.suite + " ";
  for (std::size_t i = 0; i < c.key_params.size(); ++i) {
    if (i > 0) out.push_back(';');
    out += c.key_params[i];
  }
  for (const std::string& p : c.session_params) out += " " + p;
  return out;
}

std::vector<Crypto> cryptos(const MediaDescription& m) {
  std::vector<Crypto> out;
  for (const Attribute* a : find_attributes(m.attributes, "crypto")) {
    if (!a->value) continue;
    if (auto c = parse_crypto(*a->value)) out.push_back(std::move(*c));
  }
  return out;
}

// ---- mid / group

std::optional<Group> parse_group(std::string_view value) {
  const auto f = split_fields(value);
  if (f.empty()) return std::nullopt;
  Group g{std::string(f[0]), {}};
  for (std::size_t i = 1; i < f.size(); ++i) g.mids.emplace_back(f[i]);
  return g;
}

std::vector<Group> groups(const SessionDescription& sdp) {
  std::vector<Group> out;
  for (const Attribute* a : find_attributes(sdp.attributes, "group")) {
    if (!a->value) continue;
    if (auto g = parse_group(*a->value)) out.push_back(std::move(*g));
  }
  return out;
}

std::optional<std::string> mid(const MediaDescription& m) {
  auto v = attribute_value(m.attributes, "mid");
  if (v) return std::string(text::trim(*v));
  return std::nullopt;
}

}  // namespace kolokol::sdp
