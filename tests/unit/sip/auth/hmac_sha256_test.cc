#include "sip/auth/hmac_sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace kolokol::sip {
namespace {

std::string hex(const HmacSha256::Mac& mac) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : mac) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
  return out;
}

TEST(HmacSha256, Rfc4231TestCase2InPartsAndRepeated) {
  const HmacSha256 mac("Jefe");
  const std::string expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  EXPECT_EQ(hex(mac({"what do ya want for nothing?"})), expected);
  EXPECT_EQ(hex(mac({"what do ya ", "want for nothing?"})), expected);  // the context resets
  EXPECT_NE(hex(mac({"what do ya want for nothing!"})), expected);
  EXPECT_EQ(hex(mac({"what do ya want ", "", "for nothing?"})), expected);
}

TEST(HmacSha256, Rfc4231TestCase1) {
  const HmacSha256 mac(std::string(20, '\x0b'));
  EXPECT_EQ(hex(mac({"Hi There"})),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

}  // namespace
}  // namespace kolokol::sip
