#include "media/audio/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace kolokol::media {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8_text(""));
  EXPECT_TRUE(is_valid_utf8_text("Hello"));
  EXPECT_TRUE(is_valid_utf8_text("Здравствуйте"));
  EXPECT_TRUE(is_valid_utf8_text("\xe2\x82\xac"));      // U+20AC
  EXPECT_TRUE(is_valid_utf8_text("\xf4\x8f\xbf\xbf"));  // U+10FFFF, the last code point
}

TEST(Utf8, RefusesMalformedText) {
  EXPECT_FALSE(is_valid_utf8_text(std::string("a\0b", 3)));  // NUL would cut the C string
  EXPECT_FALSE(is_valid_utf8_text("\x80"));                  // lone continuation byte
  EXPECT_FALSE(is_valid_utf8_text("\xd0"));                  // truncated two-byte sequence
  EXPECT_FALSE(is_valid_utf8_text("\xd0\x41"));              // bad continuation
  EXPECT_FALSE(is_valid_utf8_text("\xc0\xaf"));              // overlong '/'
  EXPECT_FALSE(is_valid_utf8_text("\xe0\x80\xaf"));          // overlong, three bytes
  EXPECT_FALSE(is_valid_utf8_text("\xed\xa0\x80"));          // UTF-16 surrogate
  EXPECT_FALSE(is_valid_utf8_text("\xf4\x90\x80\x80"));      // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8_text("\xff"));
}

}  // namespace
}  // namespace kolokol::media
