#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace kolokol::sdp {

// Why a text is not an SDP body we accept. line is 1-based (0 when the whole body is at fault,
// e.g. too large); reason names the line type and quotes the start of the offending line.
struct ParseError {
  std::size_t line = 0;
  std::string reason;
};

enum class NegotiationFailure {
  InvalidOffer,        // an offer we cannot answer at all (e.g. accepted stream without c=)
  NotAcceptable,       // nothing in the offer is acceptable: answer 488
  MediaCountMismatch,  // answer's m= lines differ in number from the offer's (RFC 3264 6)
  MediaTypeMismatch,   // answer's m= line i has another media type or transport than the offer's
  InvalidAnswer,       // e.g. accepts a stream the offer rejected, or lacks a c= line
  NoCommonCodec,       // an accepted stream of the answer lists no codec of the offer
};

struct NegotiationError {
  NegotiationFailure failure = NegotiationFailure::InvalidOffer;
  std::optional<std::size_t> media_index;  // the m= line at fault, 0-based
  std::string reason;
};

}  // namespace kolokol::sdp
