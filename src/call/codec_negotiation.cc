#include "call/codec_negotiation.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <string>
#include <string_view>

#include "media/codec/codec_info.h"
#include "sdp/attributes.h"

namespace kolokol::call {

namespace {

constexpr std::string_view kTelephoneEvent = "telephone-event";

// The stream that is anchored (sdp_anchoring.h): const or not, as the description is.
template <typename Description>
auto* first_live_audio(Description& sdp) {
  decltype(&sdp.media.front()) found = nullptr;
  for (auto& m : sdp.media) {
    if (m.media == "audio" && !m.rejected() && m.proto.starts_with("RTP/")) {
      found = &m;
      break;
    }
  }
  return found;
}

std::optional<std::uint8_t> payload_type_of(const std::string& format) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(format.data(), format.data() + format.size(), value);
  if (error != std::errc{} || end != format.data() + format.size() || value > 127) {
    return std::nullopt;
  }
  return static_cast<std::uint8_t>(value);
}

bool is_telephone_event(const sdp::MediaDescription& m, std::uint8_t payload_type) {
  auto map = sdp::rtpmap_for(m, payload_type);
  if (!map) return false;
  std::string name = map->encoding_name;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name == kTelephoneEvent;
}

std::optional<media::CodecId> codec_of(const sdp::MediaDescription& m, std::uint8_t payload_type) {
  if (auto map = sdp::rtpmap_for(m, payload_type)) {
    auto found = media::find_codec(map->encoding_name, map->clock_rate);
    if (found) return found.value();
    return std::nullopt;
  }
  auto found = media::find_codec(payload_type);  // a static type without a=rtpmap
  if (found) return found.value();
  return std::nullopt;
}

void keep_only_formats(sdp::MediaDescription& m, const std::vector<std::string>& formats) {
  m.formats = formats;
  const std::set<std::string> kept(formats.begin(), formats.end());
  std::erase_if(m.attributes, [&](const sdp::Attribute& a) {
    if ((a.name != "rtpmap" && a.name != "fmtp") || !a.value) return false;
    const std::string format = a.value->substr(0, a.value->find(' '));
    return kept.count(format) == 0;
  });
}

}  // namespace

void offer_transcodable_codecs(sdp::SessionDescription& offer) {
  sdp::MediaDescription* m = first_live_audio(offer);
  // SRTP (RTP/SAVP, RTP/SAVPF) is relayed end to end: the PBX cannot decode what it cannot read.
  if (!m || m->proto.find("SAVP") != std::string::npos) return;
  std::set<media::CodecId> listed;
  std::set<std::uint8_t> used;
  for (const std::string& format : m->formats) {
    auto type = payload_type_of(format);
    if (!type) continue;
    used.insert(*type);
    if (auto codec = codec_of(*m, *type)) listed.insert(*codec);
  }
  if (listed.empty()) return;
  for (const media::CodecInfo& info : media::all_codecs()) {
    if (listed.count(info.id)) continue;
    std::uint8_t type = 0;
    if (info.static_payload_type) {
      if (used.count(*info.static_payload_type)) continue;  // taken by something else
      type = *info.static_payload_type;
    } else {
      std::uint8_t candidate = 96;
      while (candidate <= 127 && used.count(candidate)) ++candidate;
      if (candidate > 127) continue;
      type = candidate;
    }
    used.insert(type);
    const std::string format = std::to_string(type);
    m->formats.push_back(format);
    std::string rtpmap =
        format + " " + std::string(info.encoding_name) + "/" + std::to_string(info.clock_rate);
    if (info.rtpmap_channels > 1) rtpmap += "/" + std::to_string(info.rtpmap_channels);
    m->attributes.push_back({"rtpmap", rtpmap});
    if (!info.default_fmtp.empty()) {
      m->attributes.push_back({"fmtp", format + " " + std::string(info.default_fmtp)});
    }
  }
}

std::optional<media::LegCodec> chosen_codec(const sdp::SessionDescription& sdp) {
  const sdp::MediaDescription* m = first_live_audio(sdp);
  if (!m) return std::nullopt;
  std::optional<media::LegCodec> out;
  std::optional<std::uint8_t> events;
  std::uint32_t event_rate = 8000;
  for (const std::string& format : m->formats) {
    auto type = payload_type_of(format);
    if (!type) continue;
    if (is_telephone_event(*m, *type)) {
      if (!events) {
        events = *type;
        event_rate = sdp::rtpmap_for(*m, *type)->clock_rate;
      }
      continue;
    }
    if (out) continue;
    if (auto codec = codec_of(*m, *type)) out = media::LegCodec{*codec, *type, std::nullopt};
  }
  if (out) {
    out->telephone_event_type = events;
    out->telephone_event_rate = event_rate;
  }
  return out;
}

AnswerPlan plan_answer(const sdp::SessionDescription& offer,
                       const sdp::SessionDescription& answer) {
  AnswerPlan plan{answer, std::nullopt};
  const sdp::MediaDescription* offered = first_live_audio(offer);
  sdp::MediaDescription* answered = first_live_audio(plan.answer);
  if (!offered || !answered) return plan;
  // The formats of the answer that the offerer listed itself, and whether audio is among them.
  std::vector<std::string> common;
  bool common_audio = false;
  for (const std::string& format : answered->formats) {
    if (std::find(offered->formats.begin(), offered->formats.end(), format) ==
        offered->formats.end()) {
      continue;
    }
    common.push_back(format);
    auto type = payload_type_of(format);
    if (type && !is_telephone_event(*answered, *type)) common_audio = true;
  }
  if (common_audio) {
    keep_only_formats(*answered, common);
    return plan;
  }
  const auto offerer = chosen_codec(offer);
  const auto answerer = chosen_codec(answer);
  if (!offerer || !answerer) return plan;  // nothing we can transcode: relayed as it is
  std::vector<std::string> formats{std::to_string(offerer->payload_type)};
  media::LegCodec offerer_leg = *offerer;
  media::LegCodec answerer_leg = *answerer;
  if (offerer->telephone_event_type && answerer->telephone_event_type) {
    formats.push_back(std::to_string(*offerer->telephone_event_type));
  } else {
    offerer_leg.telephone_event_type.reset();
    answerer_leg.telephone_event_type.reset();
  }
  // The offerer's own rtpmap and fmtp lines for what we answer with.
  std::erase_if(answered->attributes,
                [](const sdp::Attribute& a) { return a.name == "rtpmap" || a.name == "fmtp"; });
  answered->formats = formats;
  for (const sdp::Attribute& a : offered->attributes) {
    if ((a.name != "rtpmap" && a.name != "fmtp") || !a.value) continue;
    const std::string format = a.value->substr(0, a.value->find(' '));
    if (std::find(formats.begin(), formats.end(), format) != formats.end()) {
      answered->attributes.push_back(a);
    }
  }
  plan.transcode = std::make_pair(offerer_leg, answerer_leg);
  return plan;
}

}  // namespace kolokol::call
