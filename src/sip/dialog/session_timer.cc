#include "sip/dialog/session_timer.h"

#include <algorithm>
#include <charconv>

#include "sip/msg/param.h"

namespace kolokol::sip {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<std::uint32_t> parse_delta(std::string_view text) {
  text = trim(text);
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string SessionExpires::to_string() const {
  std::string out = std::to_string(interval);
  if (refresher) out += *refresher == Refresher::Uac ? ";refresher=uac" : ";refresher=uas";
  return out;
}

std::optional<SessionExpires> parse_session_expires(std::string_view text) {
  const auto semi = text.find(';');
  auto interval = parse_delta(text.substr(0, semi));
  if (!interval || *interval == 0) return std::nullopt;
  SessionExpires result{*interval, std::nullopt};
  while (semi != std::string_view::npos && !text.empty()) {
    text.remove_prefix(text.find(';') + 1);
    const auto next = text.find(';');
    std::string_view param = trim(text.substr(0, next));
    const auto eq = param.find('=');
    if (eq != std::string_view::npos && iequals(trim(param.substr(0, eq)), "refresher")) {
      const auto value = trim(param.substr(eq + 1));
      if (iequals(value, "uac")) result.refresher = Refresher::Uac;
      if (iequals(value, "uas")) result.refresher = Refresher::Uas;
    }
    if (next == std::string_view::npos) break;
  }
  return result;
}

std::optional<SessionExpires> session_expires_of(const Message& message) {
  const Header* header = message.find(HeaderId::SessionExpires);
  return header ? parse_session_expires(header->value) : std::nullopt;
}

std::optional<std::uint32_t> min_se_of(const Message& message) {
  const Header* header = message.find(HeaderId::MinSE);
  if (!header) return std::nullopt;
  return parse_delta(header->value.substr(0, header->value.find(';')));
}

bool has_option_tag(const Message& message, HeaderId header, std::string_view tag) {
  for (std::string_view value : message.values(header)) {
    if (iequals(trim(value), tag)) return true;
  }
  return false;
}

std::optional<SessionTimerAnswer> answer_session_timer(const Message& request,
                                                       std::optional<std::uint32_t> local_interval,
                                                       std::uint32_t local_min_se) {
  const bool uac_supports = has_option_tag(request, HeaderId::Supported, "timer") ||
                            has_option_tag(request, HeaderId::Require, "timer");
  auto requested = session_expires_of(request);
  SessionExpires expires;
  if (requested) {
    expires = *requested;
    // A UAS may only lower the interval, never below either Min-SE.
    if (local_interval && *local_interval < expires.interval) {
      const std::uint32_t floor = std::max(local_min_se, min_se_of(request).value_or(0));
      expires.interval = std::max(*local_interval, floor);
    }
  } else if (local_interval) {
    expires.interval = std::max(*local_interval, local_min_se);
  } else {
    return std::nullopt;
  }
  if (!uac_supports) {
    expires.refresher = Refresher::Uas;  // the UAC would not know how
  } else if (!expires.refresher) {
    expires.refresher = Refresher::Uac;
  }
  return SessionTimerAnswer{expires, uac_supports};
}

std::uint32_t session_expiry_guard(std::uint32_t interval) {
  return interval - std::min<std::uint32_t>(32, interval / 3);
}

}  // namespace kolokol::sip
