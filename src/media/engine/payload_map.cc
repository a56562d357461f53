#include "media/engine/payload_map.h"

#include <algorithm>
#include <cctype>

namespace kolokol::media {
namespace {

constexpr std::uint8_t kComfortNoisePayloadType = 13;  // RFC 3551 table 4

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

base::Expected<PayloadMeaning, PayloadMapError> audio_meaning(CodecId codec,
                                                              std::uint8_t channels) {
  const CodecInfo& info = codec_info(codec);
  // "PCMU/8000" and "PCMU/8000/1" say the same; RFC 7587 wants "opus/48000/2" but some phones
  // write "opus/48000", and the decoder does not care.
  if (channels > 1 && channels != info.rtpmap_channels) {
    return base::unexpected(PayloadMapError::BadChannels);
  }
  return PayloadMeaning{PayloadKind::Audio, codec, info.clock_rate};
}

base::Expected<PayloadMeaning, PayloadMapError> static_meaning(std::uint8_t payload_type) {
  if (payload_type == kComfortNoisePayloadType) {
    return PayloadMeaning{PayloadKind::ComfortNoise, CodecId::Pcmu, 8000};
  }
  auto codec = find_codec(payload_type);
  if (!codec) return base::unexpected(PayloadMapError::UnknownEncoding);
  return audio_meaning(*codec, 0);
}

}  // namespace

std::string_view payload_map_error_name(PayloadMapError error) {
  switch (error) {
    case PayloadMapError::BadPayloadType:
      return "bad payload type";
    case PayloadMapError::UnknownEncoding:
      return "unknown encoding";
    case PayloadMapError::BadChannels:
      return "bad channel count";
  }
  return "unknown";
}

PayloadMap PayloadMap::from_formats(std::span<const PayloadFormat> formats) {
  PayloadMap map;
  for (const PayloadFormat& format : formats) (void)map.add(format);
  return map;
}

base::Expected<PayloadMeaning, PayloadMapError> PayloadMap::add(const PayloadFormat& format) {
  if (format.payload_type >= kPayloadTypes) {
    return base::unexpected(PayloadMapError::BadPayloadType);
  }
  base::Expected<PayloadMeaning, PayloadMapError> meaning =
      base::unexpected(PayloadMapError::UnknownEncoding);
  if (format.encoding_name.empty()) {
    meaning = static_meaning(format.payload_type);
  } else if (equal_ignoring_case(format.encoding_name, "telephone-event")) {
    // RFC 4733 2.1: the event clock is the audio's; 8000 when the SDP leaves it out.
    const std::uint32_t rate = format.clock_rate != 0 ? format.clock_rate : 8000;
    meaning = PayloadMeaning{PayloadKind::TelephoneEvent, CodecId::Pcmu, rate};
  } else if (equal_ignoring_case(format.encoding_name, "CN")) {
    const std::uint32_t rate = format.clock_rate != 0 ? format.clock_rate : 8000;
    meaning = PayloadMeaning{PayloadKind::ComfortNoise, CodecId::Pcmu, rate};
  } else if (auto codec = find_codec(format.encoding_name, format.clock_rate)) {
    meaning = audio_meaning(*codec, format.channels);
  }
  if (!meaning) return meaning;
  table_[format.payload_type] = *meaning;
  return meaning;
}

std::optional<CodecId> PayloadMap::audio_codec(std::uint8_t payload_type) const {
  const PayloadMeaning& found = meaning(payload_type);
  if (found.kind != PayloadKind::Audio) return std::nullopt;
  return found.codec;
}

std::optional<std::uint32_t> PayloadMap::telephone_event_rate(std::uint8_t payload_type) const {
  const PayloadMeaning& found = meaning(payload_type);
  if (found.kind != PayloadKind::TelephoneEvent) return std::nullopt;
  return found.clock_rate;
}

}  // namespace kolokol::media
