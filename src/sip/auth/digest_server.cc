#include "sip/auth/digest_server.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace kolokol::sip {
namespace {

constexpr std::size_t kStampDigits = 16;  // one 64-bit number in hex
constexpr std::size_t kMacDigits = 32;    // HMAC-SHA-256 truncated to 128 bits
constexpr std::size_t kNonceLength = 2 * kStampDigits + kMacDigits;

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0x0f]);
  }
  return out;
}

std::string hex64(std::uint64_t value) {
  std::array<unsigned char, 8> bytes{};
  for (int i = 7; i >= 0; --i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(value & 0xff);
    value >>= 8;
  }
  return to_hex(bytes.data(), bytes.size());
}

std::optional<std::uint64_t> parse_hex64(std::string_view text) {
  if (text.size() != kStampDigits) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    std::uint64_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint64_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
    value = (value << 4) | digit;
  }
  return value;
}

std::string random_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // Without a working CSPRNG nonces would be forgeable; refusing to start is the honest outcome.
    throw std::runtime_error("digest: RAND_bytes failed");
  }
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string_view verdict_name(DigestVerdict verdict) {
  switch (verdict) {
    case DigestVerdict::Ok:
      return "ok";
    case DigestVerdict::Stale:
      return "stale nonce";
    case DigestVerdict::WrongRealm:
      return "wrong realm";
    case DigestVerdict::Unsupported:
      return "unsupported algorithm or qop";
    case DigestVerdict::BadNonce:
      return "nonce not issued here";
    case DigestVerdict::WrongUri:
      return "uri does not match the Request-URI";
    case DigestVerdict::WrongResponse:
      return "wrong response";
    case DigestVerdict::Replay:
      return "nonce-count replayed";
    case DigestVerdict::NoSecret:
      return "no secret for this algorithm";
  }
  return "unknown";
}

bool digest_uri_matches(std::string_view uri_directive, const Uri& request_uri) {
  if (uri_directive == request_uri.to_string()) return true;
  auto parsed = parse_uri(uri_directive);
  return parsed && parsed->equivalent(request_uri);
}

DigestServer::DigestServer(Config config, const base::TimerService& timers)
    : config_(std::move(config)),
      timers_(timers),
      mac_(config_.secret.empty() ? random_secret() : config_.secret),
      tracker_(config_.max_tracked_nonces) {}

std::uint64_t DigestServer::now_seconds() const {
  const auto since_epoch = timers_.now().time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  return seconds < 0 ? 0 : static_cast<std::uint64_t>(seconds);
}

bool DigestServer::offers(DigestAlgorithm algorithm) const {
  for (auto offered : config_.algorithms) {
    if (offered == algorithm) return true;
  }
  return false;
}

std::string DigestServer::nonce_mac(std::string_view stamp, std::string_view realm) const {
  const HmacSha256::Mac mac = mac_({stamp, ":", realm});
  return to_hex(mac.data(), kMacDigits / 2);
}

std::string DigestServer::opaque_for(std::string_view realm) const {
  return nonce_mac("opaque", realm).substr(0, 16);
}

std::string DigestServer::issue_nonce(std::string_view realm) {
  std::string stamp = hex64(now_seconds()) + hex64(next_serial_++);
  return stamp + nonce_mac(stamp, realm);
}

std::optional<DigestServer::NonceParts> DigestServer::authenticate_nonce(
    std::string_view nonce, std::string_view realm) const {
  if (nonce.size() != kNonceLength) return std::nullopt;
  const std::string_view stamp = nonce.substr(0, 2 * kStampDigits);
  if (!constant_time_equal(nonce_mac(stamp, realm), nonce.substr(2 * kStampDigits))) {
    return std::nullopt;
  }
  auto issued = parse_hex64(stamp.substr(0, kStampDigits));
  auto serial = parse_hex64(stamp.substr(kStampDigits));
  if (!issued || !serial) return std::nullopt;
  return NonceParts{*issued, *serial};
}

DigestServer::NonceState DigestServer::check_nonce(std::string_view nonce,
                                                   std::string_view realm) const {
  auto parts = authenticate_nonce(nonce, realm.empty() ? config_.realm : realm);
  if (!parts) return NonceState::Invalid;
  const std::uint64_t now = now_seconds();
  const std::uint64_t age = now > parts->issued_seconds ? now - parts->issued_seconds : 0;
  return age > static_cast<std::uint64_t>(config_.nonce_lifetime.count()) ? NonceState::Expired
                                                                          : NonceState::Fresh;
}

std::vector<DigestChallenge> DigestServer::make_challenges(bool stale, std::string_view realm) {
  if (realm.empty()) realm = config_.realm;
  const std::string nonce = issue_nonce(realm);
  std::vector<DigestChallenge> challenges;
  for (auto algorithm : config_.algorithms) {
    DigestChallenge challenge;
    challenge.realm = std::string(realm);
    challenge.nonce = nonce;
    challenge.opaque = opaque_for(realm);
    challenge.stale = stale;
    challenge.algorithm = algorithm;
    challenge.algorithm_text = std::string(algorithm_name(algorithm));
    challenge.qop_options = {"auth"};
    challenges.push_back(std::move(challenge));
  }
  return challenges;
}

void DigestServer::add_challenges(Message& response, bool stale, std::string_view realm) {
  const HeaderId header =
      response.status() == 407 ? HeaderId::ProxyAuthenticate : HeaderId::WwwAuthenticate;
  for (const auto& challenge : make_challenges(stale, realm)) {
    response.add_header(header, challenge.to_string());
  }
}

DigestVerdict DigestServer::verify(const DigestCredentials& credentials, const Message& request,
                                   const DigestSecret& secret, std::string_view realm) {
  return verify(credentials, request.method_text(), request.request_uri(), secret, request.body(),
                realm);
}

DigestVerdict DigestServer::verify(const DigestCredentials& credentials, std::string_view method,
                                   const Uri& request_uri, const DigestSecret& secret,
                                   std::string_view body, std::string_view realm) {
  if (realm.empty()) realm = config_.realm;
  if (credentials.realm != realm) return DigestVerdict::WrongRealm;
  if (!credentials.algorithm || !offers(*credentials.algorithm) || credentials.userhash) {
    return DigestVerdict::Unsupported;
  }
  if (!credentials.qop) return DigestVerdict::Unsupported;
  const DigestQop qop = *credentials.qop;
  // auth-int is never offered: SIP bodies are rewritten by too many middleboxes for it to be
  // useful.
  if (qop == DigestQop::AuthInt || (qop == DigestQop::None && !config_.accept_rfc2069)) {
    return DigestVerdict::Unsupported;
  }
  if (credentials.opaque && !constant_time_equal(*credentials.opaque, opaque_for(realm))) {
    return DigestVerdict::BadNonce;
  }
  const auto nonce = authenticate_nonce(credentials.nonce, realm);
  if (!nonce) return DigestVerdict::BadNonce;
  if (!digest_uri_matches(credentials.uri, request_uri)) return DigestVerdict::WrongUri;

  const DigestAlgorithm algorithm = *credentials.algorithm;
  const auto& stored_ha1 =
      base_algorithm(algorithm) == DigestAlgorithm::Md5 ? secret.ha1_md5 : secret.ha1_sha256;
  std::string ha1;
  if (stored_ha1) {
    ha1 = *stored_ha1;
  } else if (secret.password) {
    ha1 = compute_ha1(algorithm, credentials.username, realm, *secret.password);
  } else {
    return DigestVerdict::NoSecret;
  }

  DigestResponseInput input;
  input.algorithm = algorithm;
  input.ha1 = ha1;
  input.nonce = credentials.nonce;
  input.cnonce = credentials.cnonce ? std::string_view(*credentials.cnonce) : std::string_view();
  input.nc = credentials.nc;
  input.qop = qop;
  input.method = method;
  input.uri = credentials.uri;
  input.body = body;
  if (!digests_equal(compute_response(input), credentials.response)) {
    return DigestVerdict::WrongResponse;
  }

  if (check_nonce(credentials.nonce, realm) == NonceState::Expired) return DigestVerdict::Stale;
  if (qop == DigestQop::None) return DigestVerdict::Ok;
  const auto nc = parse_nonce_count(credentials.nc);
  if (!nc || *nc == 0) return DigestVerdict::Replay;
  switch (tracker_.use(nonce->serial, *nc)) {
    case NonceTracker::Result::Accepted:
      return DigestVerdict::Ok;
    case NonceTracker::Result::Replay:
      return DigestVerdict::Replay;
    case NonceTracker::Result::Forgotten:
      return DigestVerdict::Stale;
  }
  return DigestVerdict::Replay;
}

}  // namespace kolokol::sip
