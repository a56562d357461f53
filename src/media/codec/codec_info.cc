#include "media/codec/codec_info.h"

#include <algorithm>
#include <array>

namespace kolokol::media {
namespace {

// Ordered as CodecId, so codec_info() is an index.
constexpr std::array<CodecInfo, 6> kCodecs = {{
    {CodecId::Pcmu, "PCMU", 0, 8000, 1, 8000, 1, 20, 20, ""},
    {CodecId::Pcma, "PCMA", 8, 8000, 1, 8000, 1, 20, 20, ""},
    {CodecId::G722, "G722", 9, 8000, 1, 16000, 1, 20, 20, ""},
    // RFC 7587 6.1: FEC is worth announcing; 10 ms is the smallest packet we want to receive.
    {CodecId::Opus, "opus", std::nullopt, 48000, 2, 48000, 1, 20, 20, "minptime=10;useinbandfec=1"},
    // RFC 3551 4.5.6: Annex B is assumed unless refused; our encoder's VAD is off by default.
    {CodecId::G729, "G729", 18, 8000, 1, 8000, 1, 10, 20, "annexb=no"},
    {CodecId::Gsm, "GSM", 3, 8000, 1, 8000, 1, 20, 20, ""},
}};

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

std::span<const CodecInfo> all_codecs() {
  return kCodecs;
}

const CodecInfo& codec_info(CodecId id) {
  return kCodecs[static_cast<std::size_t>(id)];
}

base::Expected<CodecId, CodecError> find_codec(std::string_view encoding_name,
                                               std::uint32_t clock_rate) {
  for (const CodecInfo& codec : kCodecs) {
    if (codec.clock_rate == clock_rate && equal_ignoring_case(codec.encoding_name, encoding_name)) {
      return codec.id;
    }
  }
  return base::unexpected(CodecError::UnknownCodec);
}

base::Expected<CodecId, CodecError> find_codec(std::uint8_t static_payload_type) {
  for (const CodecInfo& codec : kCodecs) {
    if (codec.static_payload_type == static_payload_type) return codec.id;
  }
  return base::unexpected(CodecError::UnknownCodec);
}

}  // namespace kolokol::media
