#include "sip/auth/digest_fields.h"

#include "base/text.h"

namespace kolokol::sip {
namespace {

base::Unexpected<AuthParseError> fail(AuthParseFailure failure, std::string detail) {
  return base::unexpected(AuthParseError{failure, std::move(detail)});
}

// qop-options is a quoted, comma separated list: "auth,auth-int".
std::vector<std::string> split_qop_list(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

class DigestWriter {
 public:
  void add(std::string_view name, std::string_view value, bool quoted) {
    out_.append(first_ ? " " : ", ");
    first_ = false;
    out_.append(name).append("=");
    out_.append(quoted ? quote_auth_string(value) : std::string(value));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_ = "Digest";
  bool first_ = true;
};

base::Expected<AuthValue, AuthParseError> parse_digest_value(std::string_view text) {
  auto value = parse_auth_value(text);
  if (!value) return value;
  if (!value->is_digest()) {
    return fail(AuthParseFailure::UnknownScheme,
                "auth scheme '" + value->scheme + "' not supported");
  }
  return value;
}

}  // namespace

bool DigestChallenge::offers_qop(DigestQop qop) const {
  for (const auto& option : qop_options) {
    if (qop_from_name(option) == qop) return true;
  }
  return false;
}

std::string DigestChallenge::to_string() const {
  DigestWriter out;
  out.add("realm", realm, true);
  if (domain) out.add("domain", *domain, true);
  out.add("nonce", nonce, true);
  if (opaque) out.add("opaque", *opaque, true);
  if (stale) out.add("stale", "true", false);
  if (!algorithm_text.empty()) {
    out.add("algorithm", algorithm_text, false);
  } else if (algorithm && *algorithm != DigestAlgorithm::Md5) {
    out.add("algorithm", algorithm_name(*algorithm), false);
  }
  if (!qop_options.empty()) {
    std::string list;
    for (const auto& option : qop_options) list.append(list.empty() ? "" : ",").append(option);
    out.add("qop", list, true);
  }
  for (const auto& param : extra) out.add(param.name, param.value, param.quoted);
  return out.take();
}

std::string DigestCredentials::to_string() const {
  DigestWriter out;
  out.add("username", username, true);
  out.add("realm", realm, true);
  out.add("nonce", nonce, true);
  out.add("uri", uri, true);
  out.add("response", response, true);
  if (!algorithm_text.empty()) {
    out.add("algorithm", algorithm_text, false);
  } else if (algorithm && *algorithm != DigestAlgorithm::Md5) {
    out.add("algorithm", algorithm_name(*algorithm), false);
  }
  if (cnonce) out.add("cnonce", *cnonce, true);
  if (opaque) out.add("opaque", *opaque, true);
  if (!qop_text.empty()) {
    out.add("qop", qop_text, false);
  } else if (qop && *qop != DigestQop::None) {
    out.add("qop", qop_name(*qop), false);
  }
  if (!nc.empty()) out.add("nc", nc, false);
  if (userhash) out.add("userhash", "true", false);
  for (const auto& param : extra) out.add(param.name, param.value, param.quoted);
  return out.take();
}

std::string format_nonce_count(std::uint32_t count) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[count & 0x0f];
    count >>= 4;
  }
  return out;
}

std::optional<std::uint32_t> parse_nonce_count(std::string_view nc) {
  if (nc.size() != 8) return std::nullopt;
  std::uint32_t value = 0;
  for (char c : nc) {
    c = base::ascii_lower(c);
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
    value = (value << 4) | digit;
  }
  return value;
}

base::Expected<DigestChallenge, AuthParseError> parse_digest_challenge(std::string_view text) {
  auto value = parse_digest_value(text);
  if (!value) return base::unexpected(value.error());
  DigestChallenge challenge;
  bool has_realm = false, has_nonce = false;
  for (auto& param : value->params) {
    const std::string& name = param.name;
    if (base::iequals(name, "realm")) {
      challenge.realm = std::move(param.value);
      has_realm = true;
    } else if (base::iequals(name, "nonce")) {
      challenge.nonce = std::move(param.value);
      has_nonce = true;
    } else if (base::iequals(name, "opaque")) {
      challenge.opaque = std::move(param.value);
    } else if (base::iequals(name, "domain")) {
      challenge.domain = std::move(param.value);
    } else if (base::iequals(name, "stale")) {
      challenge.stale = base::iequals(param.value, "true");
    } else if (base::iequals(name, "algorithm")) {
      challenge.algorithm_text = std::move(param.value);
    } else if (base::iequals(name, "qop")) {
      challenge.qop_options = split_qop_list(param.value);
    } else {
      challenge.extra.push_back(std::move(param));
    }
  }
  if (!has_realm) return fail(AuthParseFailure::MissingParameter, "challenge without realm");
  if (!has_nonce) return fail(AuthParseFailure::MissingParameter, "challenge without nonce");
  challenge.algorithm = challenge.algorithm_text.empty()
                            ? std::optional(DigestAlgorithm::Md5)
                            : algorithm_from_name(challenge.algorithm_text);
  return challenge;
}

base::Expected<DigestCredentials, AuthParseError> parse_digest_credentials(std::string_view text) {
  auto value = parse_digest_value(text);
  if (!value) return base::unexpected(value.error());
  DigestCredentials credentials;
  unsigned seen = 0;  // bits: username realm nonce uri response
  for (auto& param : value->params) {
    const std::string& name = param.name;
    if (base::iequals(name, "username")) {
      credentials.username = std::move(param.value);
      seen |= 1u;
    } else if (base::iequals(name, "realm")) {
      credentials.realm = std::move(param.value);
      seen |= 2u;
    } else if (base::iequals(name, "nonce")) {
      credentials.nonce = std::move(param.value);
      seen |= 4u;
    } else if (base::iequals(name, "uri")) {
      credentials.uri = std::move(param.value);
      seen |= 8u;
    } else if (base::iequals(name, "response")) {
      credentials.response = std::move(param.value);
      seen |= 16u;
    } else if (base::iequals(name, "algorithm")) {
      credentials.algorithm_text = std::move(param.value);
    } else if (base::iequals(name, "cnonce")) {
      credentials.cnonce = std::move(param.value);
    } else if (base::iequals(name, "opaque")) {
      credentials.opaque = std::move(param.value);
    } else if (base::iequals(name, "qop")) {
      credentials.qop_text = std::move(param.value);
    } else if (base::iequals(name, "nc")) {
      credentials.nc = std::move(param.value);
    } else if (base::iequals(name, "userhash")) {
      credentials.userhash = base::iequals(param.value, "true");
    } else {
      credentials.extra.push_back(std::move(param));
    }
  }
  if (seen != 31u) {
    return fail(AuthParseFailure::MissingParameter,
                "credentials need username, realm, nonce, uri and response");
  }
  credentials.algorithm = credentials.algorithm_text.empty()
                              ? std::optional(DigestAlgorithm::Md5)
                              : algorithm_from_name(credentials.algorithm_text);
  credentials.qop = credentials.qop_text.empty() ? std::optional(DigestQop::None)
                                                 : qop_from_name(credentials.qop_text);
  if (!credentials.qop_text.empty()) {
    if (!credentials.cnonce || credentials.nc.empty()) {
      return fail(AuthParseFailure::BadParameter, "qop without cnonce or nc");
    }
    if (!parse_nonce_count(credentials.nc)) {
      return fail(AuthParseFailure::BadParameter, "nc is not 8 hex digits");
    }
  }
  return credentials;
}

}  // namespace kolokol::sip
