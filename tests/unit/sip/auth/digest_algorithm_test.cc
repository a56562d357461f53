#include "sip/auth/digest_algorithm.h"

#include <gtest/gtest.h>

namespace kolokol::sip {
namespace {

TEST(DigestAlgorithm, NamesRoundTripCaseInsensitively) {
  EXPECT_EQ(algorithm_from_name("md5"), DigestAlgorithm::Md5);
  EXPECT_EQ(algorithm_from_name("MD5-SESS"), DigestAlgorithm::Md5Sess);
  EXPECT_EQ(algorithm_from_name("sha-256"), DigestAlgorithm::Sha256);
  EXPECT_EQ(algorithm_from_name("SHA-256-sess"), DigestAlgorithm::Sha256Sess);
  EXPECT_FALSE(algorithm_from_name("SHA-512-256"));
  EXPECT_FALSE(algorithm_from_name(""));
  EXPECT_EQ(algorithm_name(DigestAlgorithm::Sha256Sess), "SHA-256-sess");
  EXPECT_EQ(base_algorithm(DigestAlgorithm::Sha256Sess), DigestAlgorithm::Sha256);
  EXPECT_TRUE(is_session_algorithm(DigestAlgorithm::Md5Sess));
  EXPECT_FALSE(is_session_algorithm(DigestAlgorithm::Sha256));
}

TEST(DigestAlgorithm, HashesAreLowerCaseHex) {
  EXPECT_EQ(digest_hex(DigestAlgorithm::Md5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(digest_hex(DigestAlgorithm::Sha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// RFC 2617 section 3.5.
TEST(DigestAlgorithm, Rfc2617Example) {
  const std::string ha1 =
      compute_ha1(DigestAlgorithm::Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
  DigestResponseInput in;
  in.algorithm = DigestAlgorithm::Md5;
  in.ha1 = ha1;
  in.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  in.cnonce = "0a4f113b";
  in.nc = "00000001";
  in.qop = DigestQop::Auth;
  in.method = "GET";
  in.uri = "/dir/index.html";
  EXPECT_EQ(compute_response(in), "6629fae49393a05397450978507c4ef1");
}

// RFC 7616 section 3.9.1, both algorithms.
TEST(DigestAlgorithm, Rfc7616Examples) {
  DigestResponseInput in;
  in.nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  in.cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  in.nc = "00000001";
  in.qop = DigestQop::Auth;
  in.method = "GET";
  in.uri = "/dir/index.html";

  const std::string md5_ha1 =
      compute_ha1(DigestAlgorithm::Md5, "Mufasa", "http-auth@example.org", "Circle of Life");
  in.algorithm = DigestAlgorithm::Md5;
  in.ha1 = md5_ha1;
  EXPECT_EQ(compute_response(in), "8ca523f5e9506fed4657c9700eebdbec");

  const std::string sha_ha1 =
      compute_ha1(DigestAlgorithm::Sha256, "Mufasa", "http-auth@example.org", "Circle of Life");
  in.algorithm = DigestAlgorithm::Sha256;
  in.ha1 = sha_ha1;
  EXPECT_EQ(compute_response(in),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(DigestAlgorithm, SessionVariantHashesNonceAndCnonceIntoHa1) {
  const std::string ha1 = compute_ha1(DigestAlgorithm::Md5, "u", "r", "p");
  DigestResponseInput in;
  in.ha1 = ha1;
  in.nonce = "n";
  in.cnonce = "c";
  in.nc = "00000001";
  in.method = "REGISTER";
  in.uri = "sip:r";
  in.algorithm = DigestAlgorithm::Md5Sess;
  const std::string sess_ha1 = digest_hex(DigestAlgorithm::Md5, ha1 + ":n:c");
  const std::string ha2 = digest_hex(DigestAlgorithm::Md5, "REGISTER:sip:r");
  EXPECT_EQ(compute_response(in),
            digest_hex(DigestAlgorithm::Md5, sess_ha1 + ":n:00000001:c:auth:" + ha2));
}

TEST(DigestAlgorithm, Rfc2069ResponseWithoutQop) {
  const std::string ha1 = compute_ha1(DigestAlgorithm::Md5, "u", "r", "p");
  DigestResponseInput in;
  in.ha1 = ha1;
  in.nonce = "abc";
  in.qop = DigestQop::None;
  in.method = "INVITE";
  in.uri = "sip:bob@r";
  const std::string ha2 = digest_hex(DigestAlgorithm::Md5, "INVITE:sip:bob@r");
  EXPECT_EQ(compute_response(in), digest_hex(DigestAlgorithm::Md5, ha1 + ":abc:" + ha2));
}

TEST(DigestAlgorithm, AuthIntCoversTheBody) {
  const std::string ha1 = compute_ha1(DigestAlgorithm::Sha256, "u", "r", "p");
  DigestResponseInput in;
  in.algorithm = DigestAlgorithm::Sha256;
  in.ha1 = ha1;
  in.nonce = "n";
  in.cnonce = "c";
  in.nc = "00000001";
  in.qop = DigestQop::AuthInt;
  in.method = "INVITE";
  in.uri = "sip:b@r";
  in.body = "v=0\r\n";
  const std::string with_body = compute_response(in);
  in.body = "v=1\r\n";
  EXPECT_NE(compute_response(in), with_body);
}

TEST(DigestAlgorithm, DigestsCompareCaseInsensitivelyAndRejectEmpty) {
  EXPECT_TRUE(digests_equal("abcdef01", "ABCDEF01"));
  EXPECT_FALSE(digests_equal("abcdef01", "abcdef02"));
  EXPECT_FALSE(digests_equal("abcdef01", "abcdef0"));
  EXPECT_FALSE(digests_equal("", ""));
}

}  // namespace
}  // namespace kolokol::sip
