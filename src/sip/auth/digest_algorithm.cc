#include "sip/auth/digest_algorithm.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>

namespace kolokol::sip {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

char lower_hex_char(char c) {
  return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string_view algorithm_name(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::Md5:
      return "MD5";
    case DigestAlgorithm::Md5Sess:
      return "MD5-sess";
    case DigestAlgorithm::Sha256:
      return "SHA-256";
    case DigestAlgorithm::Sha256Sess:
      return "SHA-256-sess";
  }
  return "MD5";
}

std::optional<DigestAlgorithm> algorithm_from_name(std::string_view name) {
  for (auto algorithm : {DigestAlgorithm::Md5, DigestAlgorithm::Md5Sess, DigestAlgorithm::Sha256,
                         DigestAlgorithm::Sha256Sess}) {
    if (equal_ignoring_case(name, algorithm_name(algorithm))) return algorithm;
  }
  return std::nullopt;
}

bool is_session_algorithm(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::Md5Sess || algorithm == DigestAlgorithm::Sha256Sess;
}

DigestAlgorithm base_algorithm(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::Md5:
    case DigestAlgorithm::Md5Sess:
      return DigestAlgorithm::Md5;
    case DigestAlgorithm::Sha256:
    case DigestAlgorithm::Sha256Sess:
      return DigestAlgorithm::Sha256;
  }
  return DigestAlgorithm::Md5;
}

std::string digest_hex(DigestAlgorithm algorithm, std::string_view data) {
  const EVP_MD* md = base_algorithm(algorithm) == DigestAlgorithm::Md5 ? EVP_md5() : EVP_sha256();
  std::array<unsigned char, EVP_MAX_MD_SIZE> hash{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), hash.data(), &length, md, nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[hash[i] >> 4]);
    out.push_back(kHex[hash[i] & 0x0f]);
  }
  return out;
}

std::string_view qop_name(DigestQop qop) {
  switch (qop) {
    case DigestQop::None:
      return "";
    case DigestQop::Auth:
      return "auth";
    case DigestQop::AuthInt:
      return "auth-int";
  }
  return "";
}

std::optional<DigestQop> qop_from_name(std::string_view name) {
  if (equal_ignoring_case(name, "auth")) return DigestQop::Auth;
  if (equal_ignoring_case(name, "auth-int")) return DigestQop::AuthInt;
  return std::nullopt;
}

std::string compute_ha1(DigestAlgorithm algorithm, std::string_view username,
                        std::string_view realm, std::string_view password) {
  std::string a1;
  a1.reserve(username.size() + realm.size() + password.size() + 2);
  a1.append(username).append(":").append(realm).append(":").append(password);
  return digest_hex(base_algorithm(algorithm), a1);
}

std::string compute_response(const DigestResponseInput& in) {
  const DigestAlgorithm hash = base_algorithm(in.algorithm);
  std::string ha1(in.ha1);
  for (char& c : ha1) c = lower_hex_char(c);
  if (is_session_algorithm(in.algorithm)) {
    ha1 = digest_hex(hash, ha1 + ":" + std::string(in.nonce) + ":" + std::string(in.cnonce));
  }
  std::string a2 = std::string(in.method) + ":" + std::string(in.uri);
  if (in.qop == DigestQop::AuthInt) a2 += ":" + digest_hex(hash, in.body);
  const std::string ha2 = digest_hex(hash, a2);

  std::string kd = ha1 + ":" + std::string(in.nonce) + ":";
  if (in.qop != DigestQop::None) {
    kd.append(in.nc).append(":").append(in.cnonce).append(":").append(qop_name(in.qop)).append(":");
  }
  kd += ha2;
  return digest_hex(hash, kd);
}

bool digests_equal(std::string_view expected, std::string_view received) {
  if (expected.size() != received.size() || expected.empty()) return false;
  std::string a(expected), b(received);
  for (char& c : a) c = lower_hex_char(c);
  for (char& c : b) c = lower_hex_char(c);
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kolokol::sip
