#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/expected.h"
#include "media/codec/codec_info.h"

namespace kolokol::media {

// One a=rtpmap line (with its a=fmtp) of a leg's negotiated SDP. A static payload type offered
// without a=rtpmap (allowed by RFC 3551) has an empty encoding name.
struct PayloadFormat {
  std::uint8_t payload_type = 0;
  std::string_view encoding_name;
  std::uint32_t clock_rate = 0;
  std::uint8_t channels = 0;  // encoding parameter; 0 when a=rtpmap gave none
  std::string_view fmtp;      // kept for the caller's logs: no decoder we run needs it
};

enum class PayloadKind : std::uint8_t {
  Unknown,         // not negotiated, or nothing we can use
  Audio,           // a codec we decode
  TelephoneEvent,  // RFC 4733 digits
  ComfortNoise,    // RFC 3389: the sender is silent
};

struct PayloadMeaning {
  PayloadKind kind = PayloadKind::Unknown;
  CodecId codec = CodecId::Pcmu;  // Audio only
  std::uint32_t clock_rate = 0;   // RTP timestamp rate (Audio, TelephoneEvent, ComfortNoise)
};

enum class PayloadMapError : std::uint8_t {
  BadPayloadType,   // over 127
  UnknownEncoding,  // a name (or static type) we do not implement
  BadChannels,      // a channel count the codec does not have
};
std::string_view payload_map_error_name(PayloadMapError error);

// What each RTP payload type one leg sends means, as that leg's SDP negotiated it. A flat table
// indexed by payload type, so the media worker looks a packet up in constant time without
// touching strings.
class PayloadMap {
 public:
  static constexpr std::size_t kPayloadTypes = 128;

  // Every format of the SDP that we understand; the others stay Unknown (an offer may list
  // codecs we do not implement, which is no reason to refuse the rest).
  static PayloadMap from_formats(std::span<const PayloadFormat> formats);

  // Sets one payload type, replacing what it meant before.
  base::Expected<PayloadMeaning, PayloadMapError> add(const PayloadFormat& format);

  // Unknown for anything not added, including numbers over 127.
  const PayloadMeaning& meaning(std::uint8_t payload_type) const {
    return payload_type < kPayloadTypes ? table_[payload_type] : unknown_;
  }
  std::optional<CodecId> audio_codec(std::uint8_t payload_type) const;
  // The telephone-event clock rate, if `payload_type` is telephone-event.
  std::optional<std::uint32_t> telephone_event_rate(std::uint8_t payload_type) const;

 private:
  std::array<PayloadMeaning, kPayloadTypes> table_{};
  PayloadMeaning unknown_{};
};

}  // namespace kolokol::media
