#include "sdp/answer.h"

#include <algorithm>
#include <array>

#include "sdp/offer.h"
#include "sdp/text.h"

namespace kolokol::sdp {

namespace {

struct CodecPair {
  Codec offered;
  Codec local;
};

// Common formats of an offered stream and a capability, or empty when the stream would be of
// no use: an offer with a media codec needs one in common (telephone-event alone is no call).
std::vector<CodecPair> common_codecs(const std::vector<Codec>& offered,
                                     const std::vector<Codec>& local,
                                     const AnswerOptions& options) {
  std::vector<CodecPair> common;
  if (options.order == CodecOrder::Offerer) {
    for (const Codec& o : offered) {
      auto l = std::find_if(local.begin(), local.end(),
                            [&](const Codec& c) { return same_format(o, c); });
      if (l != local.end()) common.push_back({o, *l});
    }
  } else {
    std::vector<bool> taken(offered.size());
    for (const Codec& l : local) {
      for (std::size_t i = 0; i < offered.size(); ++i) {
        if (taken[i] || !same_format(offered[i], l)) continue;
        taken[i] = true;
        common.push_back({offered[i], l});
        break;
      }
    }
  }
  const bool offer_has_media_codec =
      std::any_of(offered.begin(), offered.end(), [](const Codec& c) { return !is_auxiliary(c); });
  if (!offer_has_media_codec) return common;

  std::vector<CodecPair> kept;
  std::size_t media_codecs = 0;
  for (const CodecPair& p : common) {
    if (is_auxiliary(p.offered)) continue;
    if (options.max_codecs != 0 && media_codecs == options.max_codecs) break;
    kept.push_back(p);
    ++media_codecs;
  }
  if (kept.empty()) return kept;
  // Auxiliary formats go with a kept media codec of the same clock rate, in their offered place.
  std::vector<CodecPair> result;
  for (const CodecPair& p : common) {
    const bool keep = is_auxiliary(p.offered)
                          ? std::any_of(kept.begin(), kept.end(),
                                        [&](const CodecPair& k) {
                                          return k.offered.clock_rate == p.offered.clock_rate;
                                        })
                          : std::any_of(kept.begin(), kept.end(),
                                        [&](const CodecPair& k) { return k.offered == p.offered; });
    if (keep) result.push_back(p);
  }
  return result;
}

NegotiatedCodec negotiated(const CodecPair& p) {
  return NegotiatedCodec{
      p.offered.encoding_name, p.offered.clock_rate, p.offered.channels, p.offered.payload_type,
      p.offered.payload_type,  p.offered.fmtp,       p.local.fmtp};
}

void fill_codecs(NegotiatedMedia& n, const std::vector<CodecPair>& common) {
  std::vector<NegotiatedCodec> codecs;
  codecs.reserve(common.size());
  for (const CodecPair& p : common) codecs.push_back(negotiated(p));
  assign_codecs(n, std::move(codecs));
}

std::vector<std::string> unmatched(const MediaDescription& m,
                                   const std::vector<CodecPair>& common) {
  std::array<bool, 128> taken{};
  for (const CodecPair& p : common) taken[p.offered.payload_type & 0x7f] = true;
  std::vector<std::string> out;
  for (const std::string& f : m.formats) {
    const auto pt = text::parse_unsigned<std::uint8_t>(f);
    if (!pt || *pt >= 128 || !taken[*pt]) out.push_back(f);
  }
  return out;
}

}  // namespace

base::Expected<Answer, NegotiationError> answer_offer(const SessionDescription& offer,
                                                      const LocalCapabilities& local,
                                                      const AnswerOptions& options) {
  Answer answer{session_skeleton(local), {}};
  answer.sdp.timings = offer.timings;
  std::vector<bool> used(local.media.size());
  bool any_active = false;
  bool any_accepted = false;

  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& m = offer.media[i];
    NegotiatedMedia n;
    n.index = i;
    n.media = m.media;
    n.proto = m.proto;
    if (m.rejected()) {
      answer.sdp.media.push_back(disabled_copy(m));
      answer.media.push_back(std::move(n));
      continue;
    }
    any_active = true;
    const std::vector<Codec> offered = codecs_of(m);
    std::vector<CodecPair> common;
    std::size_t chosen = local.media.size();
    for (std::size_t j = 0; j < local.media.size() && chosen == local.media.size(); ++j) {
      const MediaCapabilities& caps = local.media[j];
      if (used[j] || caps.port == 0 || !text::iequals(caps.media, m.media) ||
          !text::iequals(caps.proto, m.proto)) {
        continue;
      }
      common = common_codecs(offered, caps.codecs, options);
      if (!common.empty()) chosen = j;
    }
    if (chosen == local.media.size()) {
      n.unmatched_formats = m.formats;
      answer.sdp.media.push_back(disabled_copy(m));
      answer.media.push_back(std::move(n));
      continue;
    }
    const Connection* remote = offer.connection_for(m);
    if (remote == nullptr) {
      return base::unexpected(NegotiationError{
          NegotiationFailure::InvalidOffer, i,
          "m= line " + std::to_string(i + 1) + " has no c= line and the session has none"});
    }
    used[chosen] = true;
    any_accepted = true;
    const MediaCapabilities& caps = local.media[chosen];
    const Direction offered_direction = effective_direction(offer, m);
    const Direction ours = make_direction(receives(offered_direction) && sends(caps.direction),
                                          sends(offered_direction) && receives(caps.direction));
    const bool mux = caps.rtcp_mux && rtcp_mux(m);

    std::vector<Codec> answered;
    for (const CodecPair& p : common) {
      Codec c = p.offered;
      c.fmtp = p.local.fmtp;
      answered.push_back(std::move(c));
    }
    MediaDescription section =
        media_section(answer.sdp, caps, answered, ours, mux, local.write_sendrecv);
    section.proto = m.proto;  // as the offerer spelled it
    answer.sdp.media.push_back(std::move(section));

    n.accepted = true;
    fill_codecs(n, common);
    n.direction = ours;
    n.local_port = caps.port;
    n.remote_address = remote->address;
    n.remote_port = m.port;
    n.remote_rtcp = rtcp(m);
    n.rtcp_mux = mux;
    n.remote_hold = !receives(offered_direction);
    n.remote_ptime = ptime(m);
    n.unmatched_formats = unmatched(m, common);
    answer.media.push_back(std::move(n));
  }

  if (any_active && !any_accepted) {
    return base::unexpected(NegotiationError{NegotiationFailure::NotAcceptable, std::nullopt,
                                             "no offered stream has a codec in common with us"});
  }
  if (options.previous != nullptr) {
    answer.sdp = follow_version(*options.previous, std::move(answer.sdp));
  }
  return answer;
}

}  // namespace kolokol::sdp
