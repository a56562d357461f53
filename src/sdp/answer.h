#pragma once

#include <cstddef>
#include <vector>

#include "base/expected.h"
#include "sdp/capabilities.h"
#include "sdp/error.h"
#include "sdp/negotiated.h"
#include "sdp/session_description.h"

namespace kolokol::sdp {

enum class CodecOrder {
  Offerer,  // the answer lists common codecs in the offer's order (RFC 3264 6.1 default)
  Local,    // in the order of our capabilities
};

struct AnswerOptions {
  CodecOrder order = CodecOrder::Offerer;
  // Media codecs kept per stream (telephone-event, CN ... do not count); 0 keeps all common ones.
  std::size_t max_codecs = 0;
  // The last description we sent in this session, for the o= version rule; nullptr at first.
  const SessionDescription* previous = nullptr;
};

struct Answer {
  SessionDescription sdp;
  std::vector<NegotiatedMedia> media;  // one per m= line of the offer
};

// Answers an offer (RFC 3264 6): the same m= lines in the same order; each offered stream takes
// the first unused local capability of its media type and transport that shares a media codec
// with it (or, for a stream of only telephone-event/CN, such a format), else is rejected with
// port 0. Payload type numbers are the offerer's. Our direction is the offer's reversed,
// narrowed by the capability's (sendonly -> recvonly, inactive -> inactive; c=0.0.0.0 counts
// as the offerer not wanting to receive). t= is copied from the offer.
// Errors: InvalidOffer (an acceptable stream without any c= line), NotAcceptable (the offer
// had active streams and none could be accepted: answer the request with 488).
base::Expected<Answer, NegotiationError> answer_offer(const SessionDescription& offer,
                                                      const LocalCapabilities& local,
                                                      const AnswerOptions& options = {});

}  // namespace kolokol::sdp
