#include "sip/auth/hmac_sha256.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <stdexcept>

namespace kolokol::sip {

void HmacSha256::Free::operator()(EVP_MAC_CTX* context) const {
  EVP_MAC_CTX_free(context);
}

HmacSha256::HmacSha256(std::string_view key) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) throw std::runtime_error("OpenSSL has no HMAC");
  context_.reset(EVP_MAC_CTX_new(mac));
  EVP_MAC_free(mac);  // the context keeps its own reference
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (!context_ || EVP_MAC_init(context_.get(), reinterpret_cast<const unsigned char*>(key.data()),
                                key.size(), params) != 1) {
    throw std::runtime_error("cannot set up HMAC-SHA-256");
  }
}

HmacSha256::~HmacSha256() = default;
HmacSha256::HmacSha256(HmacSha256&&) noexcept = default;
HmacSha256& HmacSha256::operator=(HmacSha256&&) noexcept = default;

HmacSha256::Mac HmacSha256::operator()(std::initializer_list<std::string_view> parts) const {
  Mac out{};
  // A null key re-initialises with the key already set (EVP_MAC_init(3)).
  if (EVP_MAC_init(context_.get(), nullptr, 0, nullptr) != 1) {
    throw std::runtime_error("HMAC-SHA-256 reset failed");
  }
  for (std::string_view part : parts) {
    EVP_MAC_update(context_.get(), reinterpret_cast<const unsigned char*>(part.data()),
                   part.size());
  }
  std::size_t length = 0;
  EVP_MAC_final(context_.get(), out.data(), &length, out.size());
  return out;
}

}  // namespace kolokol::sip
