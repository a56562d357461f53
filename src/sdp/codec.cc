#include "sdp/codec.h"

#include <array>

#include "sdp/attributes.h"
#include "sdp/text.h"

namespace kolokol::sdp {

bool same_format(const Codec& a, const Codec& b) {
  return text::iequals(a.encoding_name, b.encoding_name) && a.clock_rate == b.clock_rate &&
         a.channels == b.channels;
}

bool is_telephone_event(const Codec& c) {
  return text::iequals(c.encoding_name, "telephone-event");
}

bool is_auxiliary(const Codec& c) {
  for (std::string_view name : {"telephone-event", "CN", "red", "rtx", "ulpfec", "flexfec"}) {
    if (text::iequals(c.encoding_name, name)) return true;
  }
  return false;
}

std::optional<Codec> static_codec(std::uint8_t payload_type) {
  struct Entry {
    std::uint8_t pt;
    std::string_view name;
    std::uint32_t rate;
    std::uint32_t channels;
  };
  // RFC 3551 tables 4 and 5. G722's RTP clock rate is 8000 by that RFC's historical error.
  static constexpr std::array<Entry, 21> kTable{{
      {0, "PCMU", 8000, 1},  {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},   {5, "DVI4", 8000, 1},
      {6, "DVI4", 16000, 1}, {7, "LPC", 8000, 1},    {8, "PCMA", 8000, 1},   {9, "G722", 8000, 1},
      {10, "L16", 44100, 2}, {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
      {14, "MPA", 90000, 1}, {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1}, {17, "DVI4", 22050, 1},
      {18, "G729", 8000, 1}, {25, "CelB", 90000, 1}, {26, "JPEG", 90000, 1}, {31, "H261", 90000, 1},
      {32, "MPV", 90000, 1},
  }};
  for (const Entry& e : kTable) {
    if (e.pt == payload_type) return Codec{e.pt, std::string(e.name), e.rate, e.channels, ""};
  }
  if (payload_type == 33) return Codec{33, "MP2T", 90000, 1, ""};
  if (payload_type == 34) return Codec{34, "H263", 90000, 1, ""};
  return std::nullopt;
}

std::vector<Codec> codecs_of(const MediaDescription& m) {
  // One pass over the attributes, then one over the formats: linear in the size of the stream.
  std::array<std::optional<Rtpmap>, 128> rtpmaps;
  std::array<const std::string*, 128> fmtps{};
  std::vector<Fmtp> parsed_fmtps;
  parsed_fmtps.reserve(m.attributes.size());
  for (const Attribute& a : m.attributes) {
    if (!a.value) continue;
    if (text::iequals(a.name, "rtpmap")) {
      auto r = parse_rtpmap(*a.value);
      if (r && !rtpmaps[r->payload_type]) rtpmaps[r->payload_type] = std::move(r);
    } else if (text::iequals(a.name, "fmtp")) {
      if (auto f = parse_fmtp(*a.value)) parsed_fmtps.push_back(std::move(*f));
    }
  }
  for (const Fmtp& f : parsed_fmtps) {
    const auto pt = text::parse_unsigned<std::uint8_t>(f.format);
    if (pt && *pt < 128 && fmtps[*pt] == nullptr) fmtps[*pt] = &f.parameters;
  }
  std::vector<Codec> codecs;
  std::array<bool, 128> listed{};
  for (const std::string& format : m.formats) {
    const auto pt = text::parse_unsigned<std::uint8_t>(format);
    if (!pt || *pt >= 128 || listed[*pt]) continue;
    listed[*pt] = true;
    std::optional<Codec> codec;
    if (const auto& r = rtpmaps[*pt]) {
      codec = Codec{*pt, r->encoding_name, r->clock_rate, r->channels.value_or(1), ""};
    } else {
      codec = static_codec(*pt);
    }
    if (!codec) continue;
    if (fmtps[*pt] != nullptr) codec->fmtp = *fmtps[*pt];
    codecs.push_back(std::move(*codec));
  }
  return codecs;
}

void add_codec(MediaDescription& m, const Codec& c) {
  m.formats.push_back(std::to_string(c.payload_type));
  Rtpmap r{c.payload_type, c.encoding_name, c.clock_rate, std::nullopt};
  if (c.channels != 1) r.channels = c.channels;
  m.attributes.push_back(Attribute{"rtpmap", to_string(r)});
  if (!c.fmtp.empty()) {
    m.attributes.push_back(Attribute{"fmtp", std::to_string(c.payload_type) + " " + c.fmtp});
  }
}

}  // namespace kolokol::sdp
