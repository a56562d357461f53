#pragma once

#include <string>

namespace kolokol::sip {

// Why a message, header or URI could not be parsed. status is the response a UAS sends for a
// request that fails this way (400 almost always; 505 for a bad SIP version; 0 for failures that
// leave nothing to answer, e.g. an unparseable start line).
struct ParseError {
  int status = 400;
  std::string reason;  // human text, goes into the log and into the response's Warning/reason
};

}  // namespace kolokol::sip
