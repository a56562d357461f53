#include "sip/auth/digest_client.h"

#include <openssl/rand.h>

#include <array>
#include <map>

#include "sip/auth/digest_algorithm.h"

namespace kolokol::sip {
namespace {

std::string random_cnonce() {
  std::array<unsigned char, 12> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) bytes.fill(0x5a);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

std::optional<DigestQop> choose_qop(const DigestChallenge& challenge) {
  if (challenge.qop_options.empty()) return DigestQop::None;
  if (challenge.offers_qop(DigestQop::Auth)) return DigestQop::Auth;
  if (challenge.offers_qop(DigestQop::AuthInt)) return DigestQop::AuthInt;
  return std::nullopt;
}

}  // namespace

std::optional<int> challenge_preference(const DigestChallenge& challenge) {
  if (!challenge.algorithm || !choose_qop(challenge)) return std::nullopt;
  switch (*challenge.algorithm) {
    case DigestAlgorithm::Sha256:
      return 4;
    case DigestAlgorithm::Sha256Sess:
      return 3;
    case DigestAlgorithm::Md5:
      return 2;
    case DigestAlgorithm::Md5Sess:
      return 1;
  }
  return std::nullopt;
}

std::optional<DigestCredentials> answer_challenge(const DigestChallenge& challenge,
                                                  const DigestAnswerInput& input) {
  const auto qop = choose_qop(challenge);
  if (!challenge.algorithm || !qop) return std::nullopt;
  const DigestAlgorithm algorithm = *challenge.algorithm;

  DigestCredentials credentials;
  credentials.username = std::string(input.username);
  credentials.realm = challenge.realm;
  credentials.nonce = challenge.nonce;
  credentials.uri = std::string(input.uri);
  credentials.algorithm = algorithm;
  credentials.algorithm_text = challenge.algorithm_text;  // echo what the server wrote
  credentials.opaque = challenge.opaque;
  credentials.qop = *qop;
  if (*qop != DigestQop::None) {
    credentials.qop_text = std::string(qop_name(*qop));
    credentials.cnonce = std::string(input.cnonce);
    credentials.nc = format_nonce_count(input.nc);
  }

  const std::string ha1 = compute_ha1(algorithm, input.username, challenge.realm, input.password);
  DigestResponseInput response;
  response.algorithm = algorithm;
  response.ha1 = ha1;
  response.nonce = challenge.nonce;
  response.cnonce = credentials.cnonce ? std::string_view(*credentials.cnonce) : std::string_view();
  response.nc = credentials.nc;
  response.qop = *qop;
  response.method = input.method;
  response.uri = input.uri;
  response.body = input.body;
  credentials.response = compute_response(response);
  return credentials;
}

DigestClient::DigestClient(std::string username, std::string password)
    : DigestClient(std::move(username), std::move(password), random_cnonce) {}

DigestClient::DigestClient(std::string username, std::string password, CnonceSource cnonce_source)
    : username_(std::move(username)),
      password_(std::move(password)),
      cnonce_source_(std::move(cnonce_source)) {}

DigestClient::ChallengeOutcome DigestClient::on_challenge(const Message& response) {
  const bool proxy = response.status() == 407;
  const HeaderId header = proxy ? HeaderId::ProxyAuthenticate : HeaderId::WwwAuthenticate;

  // Best challenge per realm, first one winning ties (the server lists its preference first).
  std::map<std::string, std::pair<int, DigestChallenge>> best;
  for (const auto& line : response.headers()) {
    if (line.id != header) continue;
    auto challenge = parse_digest_challenge(line.value);
    if (!challenge) continue;
    const auto rank = challenge_preference(*challenge);
    if (!rank) continue;
    auto found = best.find(challenge->realm);
    if (found == best.end() || found->second.first < *rank) {
      std::string realm = challenge->realm;
      best.insert_or_assign(std::move(realm), std::pair{*rank, std::move(*challenge)});
    }
  }
  if (best.empty()) return ChallengeOutcome::NoUsableChallenge;

  bool rejected = false, stale = false;
  for (auto& [realm, ranked] : best) {
    DigestChallenge& challenge = ranked.second;
    RealmState* state = nullptr;
    for (auto& existing : realms_) {
      if (existing.challenge.realm == realm && existing.proxy == proxy) state = &existing;
    }
    if (state != nullptr && state->answered && !challenge.stale) rejected = true;
    stale = stale || challenge.stale;
    if (state == nullptr) state = &realms_.emplace_back();
    state->challenge = std::move(challenge);
    state->proxy = proxy;
    state->next_nc = 1;
    state->answered = false;
  }
  if (rejected) return ChallengeOutcome::Rejected;
  return stale ? ChallengeOutcome::RetryStale : ChallengeOutcome::Retry;
}

bool DigestClient::authorize(Message& request) {
  if (realms_.empty()) return false;
  request.remove_headers(HeaderId::Authorization);
  request.remove_headers(HeaderId::ProxyAuthorization);
  const std::string uri = request.request_uri().to_string();
  bool added = false;
  for (auto& state : realms_) {
    DigestAnswerInput input;
    input.username = username_;
    input.password = password_;
    input.method = request.method_text();
    input.uri = uri;
    input.body = request.body();
    const std::string cnonce = cnonce_source_();
    input.cnonce = cnonce;
    input.nc = state.next_nc;
    auto credentials = answer_challenge(state.challenge, input);
    if (!credentials) continue;
    ++state.next_nc;
    state.answered = true;
    request.add_header(state.proxy ? HeaderId::ProxyAuthorization : HeaderId::Authorization,
                       credentials->to_string());
    added = true;
  }
  return added;
}

}  // namespace kolokol::sip
