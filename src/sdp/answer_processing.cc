#include "sdp/answer_processing.h"

#include <algorithm>
#include <array>
#include <string>

#include "sdp/attributes.h"
#include "sdp/codec.h"
#include "sdp/text.h"

namespace kolokol::sdp {

namespace {

base::Unexpected<NegotiationError> failure(NegotiationFailure kind, std::size_t index,
                                           std::string why) {
  return base::unexpected(
      NegotiationError{kind, index, "m= line " + std::to_string(index + 1) + ": " + why});
}

std::vector<std::string> formats_without(const MediaDescription& m,
                                         const std::vector<NegotiatedCodec>& taken_codecs) {
  std::array<bool, 128> taken{};
  for (const NegotiatedCodec& c : taken_codecs) taken[c.send_payload_type & 0x7f] = true;
  std::vector<std::string> out;
  for (const std::string& f : m.formats) {
    const auto pt = text::parse_unsigned<std::uint8_t>(f);
    if (!pt || *pt >= 128 || !taken[*pt]) out.push_back(f);
  }
  return out;
}

}  // namespace

base::Expected<std::vector<NegotiatedMedia>, NegotiationError> process_answer(
    const SessionDescription& offer, const SessionDescription& answer) {
  if (offer.media.size() != answer.media.size()) {
    return base::unexpected(
        NegotiationError{NegotiationFailure::MediaCountMismatch, std::nullopt,
                         "the answer has " + std::to_string(answer.media.size()) +
                             " m= lines, the offer " + std::to_string(offer.media.size())});
  }
  std::vector<NegotiatedMedia> result;
  result.reserve(offer.media.size());
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& ours = offer.media[i];
    const MediaDescription& theirs = answer.media[i];
    if (!text::iequals(ours.media, theirs.media) || !text::iequals(ours.proto, theirs.proto)) {
      return failure(NegotiationFailure::MediaTypeMismatch, i,
                     "answered as " + theirs.media + " " + theirs.proto + ", offered as " +
                         ours.media + " " + ours.proto);
    }
    NegotiatedMedia n;
    n.index = i;
    n.media = ours.media;
    n.proto = ours.proto;
    if (ours.rejected() && !theirs.rejected()) {
      return failure(NegotiationFailure::InvalidAnswer, i, "accepts a stream the offer disabled");
    }
    if (theirs.rejected()) {
      result.push_back(std::move(n));
      continue;
    }
    const Connection* remote = answer.connection_for(theirs);
    if (remote == nullptr) return failure(NegotiationFailure::InvalidAnswer, i, "no c= line");

    const std::vector<Codec> offered = codecs_of(ours);
    std::vector<NegotiatedCodec> codecs;
    bool media_codec = false;
    for (const Codec& a : codecs_of(theirs)) {
      auto o = std::find_if(offered.begin(), offered.end(),
                            [&](const Codec& c) { return same_format(a, c); });
      if (o == offered.end()) continue;
      media_codec = media_codec || !is_auxiliary(a);
      codecs.push_back(NegotiatedCodec{a.encoding_name, a.clock_rate, a.channels, a.payload_type,
                                       o->payload_type, a.fmtp, o->fmtp});
    }
    const bool offered_media_codec = std::any_of(offered.begin(), offered.end(),
                                                 [](const Codec& c) { return !is_auxiliary(c); });
    if (codecs.empty() || (offered_media_codec && !media_codec)) {
      return failure(NegotiationFailure::NoCommonCodec, i, "no offered codec in the answer");
    }
    n.unmatched_formats = formats_without(theirs, codecs);
    assign_codecs(n, std::move(codecs));

    const Direction offered_direction = effective_direction(offer, ours);
    const Direction answered = effective_direction(answer, theirs);
    n.accepted = true;
    n.direction = make_direction(sends(offered_direction) && receives(answered),
                                 receives(offered_direction) && sends(answered));
    n.local_port = ours.port;
    n.remote_address = remote->address;
    n.remote_port = theirs.port;
    n.remote_rtcp = rtcp(theirs);
    n.rtcp_mux = rtcp_mux(ours) && rtcp_mux(theirs);
    n.remote_hold = !receives(answered);
    n.remote_ptime = ptime(theirs);
    result.push_back(std::move(n));
  }
  return result;
}

}  // namespace kolokol::sdp
