#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kolokol::sip {

// Small MIME helpers for the UAS content checks of RFC 3261 8.2.3 and 20.1: media types
// compare case-insensitively, parameters are "; name=value" with optional quotes.

// "application/SDP; charset=x" -> "application/sdp".
std::string media_type_of(std::string_view content_type);
// A parameter of a Content-Type value, unquoted ("boundary").
std::optional<std::string> media_type_param(std::string_view content_type, std::string_view name);

// Whether the Accept values (each one media-range, as Message::values(HeaderId::Accept) gives
// them) admit media_type: "*/*", "type/*" and exact ranges count unless their q is 0.
// An Accept header with no values admits nothing (RFC 3261 20.1).
bool accept_admits(const std::vector<std::string_view>& accept_values, std::string_view media_type);

// Media types of the parts of a multipart body (RFC 2046 5.1; a part without Content-Type is
// text/plain). Bounded: at most max_parts parts, and a body without the boundary gives none.
std::vector<std::string> multipart_part_types(std::string_view body, std::string_view boundary,
                                              std::size_t max_parts = 16);

}  // namespace kolokol::sip
