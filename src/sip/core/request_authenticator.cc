#include "sip/core/request_authenticator.h"

namespace kolokol::sip {
namespace {

AuthOutcome outcome(AuthOutcome::Kind kind, std::string detail, bool stale = false) {
  AuthOutcome out;
  out.kind = kind;
  out.stale = stale;
  out.detail = std::move(detail);
  return out;
}

}  // namespace

RequestAuthenticator::RequestAuthenticator(DigestServer& digest, AccountLookup lookup)
    : digest_(digest), lookup_(std::move(lookup)) {}

AuthOutcome RequestAuthenticator::authenticate(const Message& request, bool proxy,
                                               std::string_view realm_wanted) {
  using Kind = AuthOutcome::Kind;
  const std::string realm(realm_wanted.empty() ? std::string_view(digest_.realm()) : realm_wanted);
  const HeaderId header = proxy ? HeaderId::ProxyAuthorization : HeaderId::Authorization;

  std::optional<DigestCredentials> ours;
  std::string broken;
  for (const Header& line : request.headers()) {
    if (line.id != header) continue;
    auto credentials = parse_digest_credentials(line.value);
    if (!credentials) {
      // Other schemes are someone else's business (RFC 4475 regaut01: challenge as if absent).
      if (credentials.error().failure != AuthParseFailure::UnknownScheme && broken.empty()) {
        broken = "bad Digest credentials: " + credentials.error().detail;
      }
      continue;
    }
    if (credentials->realm == realm) {
      ours = std::move(*credentials);
      break;
    }
  }
  if (!ours) {
    if (!broken.empty()) return outcome(Kind::BadRequest, std::move(broken));
    return outcome(Kind::Challenge, "no credentials for realm " + realm);
  }
  if (digest_.check_nonce(ours->nonce, realm) == DigestServer::NonceState::Invalid) {
    return outcome(Kind::Challenge, "nonce not issued here");
  }

  const auto secret = lookup_ ? lookup_(ours->username, ours->realm) : std::nullopt;
  if (!secret) return outcome(Kind::Forbidden, "no account " + ours->username);

  const DigestVerdict verdict = digest_.verify(*ours, request, *secret, realm);
  switch (verdict) {
    case DigestVerdict::Ok: {
      AuthOutcome ok = outcome(Kind::Authenticated, "authenticated");
      ok.username = ours->username;
      return ok;
    }
    case DigestVerdict::Stale:
      return outcome(Kind::Challenge, "stale nonce", true);
    case DigestVerdict::WrongUri:
      return outcome(Kind::BadRequest, std::string(verdict_name(verdict)));
    case DigestVerdict::WrongResponse:
    case DigestVerdict::NoSecret:
      return outcome(Kind::Forbidden, std::string(verdict_name(verdict)));
    case DigestVerdict::WrongRealm:
    case DigestVerdict::Unsupported:
    case DigestVerdict::BadNonce:
    case DigestVerdict::Replay:
      return outcome(Kind::Challenge, std::string(verdict_name(verdict)));
  }
  return outcome(Kind::Challenge, "unknown verdict");
}

}  // namespace kolokol::sip
