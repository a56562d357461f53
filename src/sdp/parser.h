#pragma once

#include <cstddef>
#include <string_view>

#include "base/expected.h"
#include "sdp/error.h"
#include "sdp/session_description.h"

namespace kolokol::sdp {

// Bounds on the work one body may cause; parsing is linear in the size of the text.
struct ParseLimits {
  std::size_t max_bytes = 64 * 1024;
  std::size_t max_lines = 1000;
  std::size_t max_media = 128;
};

// Parses an SDP body (RFC 8866 / 4566). Tolerated: LF-only line ends, blank lines, runs of
// spaces between fields, lines in a non-canonical order within a section, an empty s=, a
// missing s= (name "-") or t= (t=0 0 is assumed), an m= line without formats.
// Rejected with a ParseError naming the line: a first line other than v=0, unknown line types,
// lines without '=', malformed o=/c=/b=/t=/r=/z=/m= values, session-only lines after m=,
// duplicated single lines, NUL or stray CR bytes, a missing o=, and bodies over the limits.
base::Expected<SessionDescription, ParseError> parse(std::string_view text,
                                                     const ParseLimits& limits = {});

}  // namespace kolokol::sdp
