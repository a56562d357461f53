#pragma once

#include <string_view>

namespace kolokol::media {

// Well-formed UTF-8 per RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF.
// NUL is refused too, since the text goes on to C APIs that would stop there.
bool is_valid_utf8_text(std::string_view text);

}  // namespace kolokol::media
