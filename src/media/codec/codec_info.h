#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/expected.h"
#include "media/codec/codec_error.h"

namespace kolokol::media {

enum class CodecId : std::uint8_t { Pcmu, Pcma, G722, Opus, G729, Gsm };

// What SDP and RTP say about a codec, and what its encoder and decoder work with. Two rates are
// kept apart on purpose: the RTP clock rate is what a=rtpmap advertises and what timestamps count
// in, the sample rate is the PCM the codec really runs on. They differ for G.722 (RFC 3551 4.5.2
// keeps 8000 for a historical error, audio is 16 kHz) and for opus (RFC 7587 always says 48000/2,
// the decoder may run at any of 8/12/16/24/48 kHz).
struct CodecInfo {
  CodecId id;
  std::string_view encoding_name;                   // as in a=rtpmap, matched case-insensitively
  std::optional<std::uint8_t> static_payload_type;  // RFC 3551 table 4; none for opus
  std::uint32_t clock_rate;                         // RTP timestamp rate
  std::uint8_t rtpmap_channels;                     // encoding parameter of a=rtpmap (opus: 2)
  std::uint32_t sample_rate;      // PCM rate of the encoder and decoder (opus: default)
  std::uint8_t channels;          // PCM channels in and out: always mono here
  std::uint16_t frame_ms;         // one codec frame (G.729: 10 ms)
  std::uint16_t packet_ms;        // default packet duration (ptime)
  std::string_view default_fmtp;  // a=fmtp parameters we offer, "" for none

  // PCM samples in one default packet at the codec's sample rate.
  std::uint32_t samples_per_packet() const { return sample_rate / 1000 * packet_ms; }
};

std::span<const CodecInfo> all_codecs();
const CodecInfo& codec_info(CodecId id);

// a=rtpmap matching: "PCMU/8000", "opus/48000/2", "g722/8000". The clock rate must agree too.
base::Expected<CodecId, CodecError> find_codec(std::string_view encoding_name,
                                               std::uint32_t clock_rate);
// Static payload types 0-95 that name a codec we implement (0, 3, 8, 9, 18).
base::Expected<CodecId, CodecError> find_codec(std::uint8_t static_payload_type);

}  // namespace kolokol::media
