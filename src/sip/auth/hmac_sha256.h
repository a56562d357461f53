#pragma once

#include <array>
#include <initializer_list>
#include <memory>
#include <string_view>

using EVP_MAC_CTX = struct evp_mac_ctx_st;

namespace kolokol::sip {

// HMAC-SHA-256 under one fixed key. OpenSSL 3's one-shot HMAC() looks the algorithm up in the
// provider tables and sets the key on every call, which made nonce MACs a tenth of a
// REGISTER's CPU; this keeps one keyed context and only resets it. Not thread-safe: one per
// thread (the DigestServer lives on the SIP thread).
class HmacSha256 {
 public:
  using Mac = std::array<unsigned char, 32>;

  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(HmacSha256&&) noexcept;
  HmacSha256& operator=(HmacSha256&&) noexcept;

  // MAC of the concatenation of the parts.
  Mac operator()(std::initializer_list<std::string_view> parts) const;

 private:
  struct Free {
    void operator()(EVP_MAC_CTX* context) const;
  };
  std::unique_ptr<EVP_MAC_CTX, Free> context_;
};

}  // namespace kolokol::sip
