#pragma once

#include <optional>
#include <utility>

#include "media/engine/transcoding_path.h"
#include "sdp/session_description.h"

namespace kolokol::call {

// How an anchored call gets audio between two legs that share no codec: the PBX adds the codecs
// it can transcode to each offer it relays, and when the answerer picks one the offerer never
// offered, answers the offerer itself with the offerer's own codec and transcodes between the two.
// Pure SDP functions; the first live audio stream is the one that counts.

// Appends to the offer's first live audio stream every codec the PBX decodes and encodes that it
// does not list yet (PCMU, PCMA, G722, opus, G729, GSM; opus on a free dynamic payload type), when
// the stream lists at least one of them (otherwise nothing could be transcoded anyway).
void offer_transcodable_codecs(sdp::SessionDescription& offer);

// The codec a stream's first supported format names, with its telephone-event type if listed.
std::optional<media::LegCodec> chosen_codec(const sdp::SessionDescription& sdp);

struct AnswerPlan {
  sdp::SessionDescription answer;  // what the offerer is to get (before anchoring)
  // Set when the legs share no codec: (offerer's codec, answerer's codec).
  std::optional<std::pair<media::LegCodec, media::LegCodec>> transcode;
};

// The answer for the offerer of `offer`, from `answer` (the other leg's answer to the offer as
// the PBX relayed it, codecs added): the answer's formats the offerer listed, or when none of
// them is audio, the offerer's first supported codec with a transcoding plan.
AnswerPlan plan_answer(const sdp::SessionDescription& offer, const sdp::SessionDescription& answer);

}  // namespace kolokol::call
